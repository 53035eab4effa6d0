/* sg_next_random: splitmix64 over the state the host seeds in the control page. */
#include "runtime.h"

/* volatile: the host rewrites the state on every restore */
static volatile uint64_t *state(void)
{
    return (volatile uint64_t *)(sg_layout.control + SG_CTL_RANDOM);
}

uint64_t sg_next_random(void)
{
    uint64_t z = *state() + 0x9e3779b97f4a7c15ULL;
    *state() = z;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void sg_seed_random(uint64_t seed)
{
    *state() = seed;
}
