/* rand and srand over the SDK's random stream, which the host reseeds on every restore. */
#include "musl.h"

int rand(void)
{
    return (int)(sg_next_random() >> 33); /* 31 bits: RAND_MAX is 0x7fffffff */
}

/* A seed makes the stream repeatable, until the next restore reseeds it. */
void srand(unsigned seed)
{
    sg_seed_random(seed);
}
