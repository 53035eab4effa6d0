/*
 * How deep the engine may go on the guest's stack (engine_limits.h). The reserve is what a check leaves
 * for the engine's paths to the next check (a garbage collection marks up to 256 levels of objects
 * recursively, about 26KiB; making and throwing the error takes about 3KiB): a quarter of the stack, at
 * most 64KiB. The compiler's levels were measured at up to 420 bytes (nested function declarations).
 */
#include "js.h"

#define MAX_RESERVE (64u << 10)
#define COMPILER_LEVEL_BYTES 512u
#define COMPILER_MAX_DEPTH 2500u /* Duktape's DUK_USE_COMPILER_RECLIMIT */

static size_t reserve;

void js_stack_init(void)
{
    size_t whole = sg_stack_left();
    reserve = whole / 4 < MAX_RESERVE ? whole / 4 : MAX_RESERVE;
}

int js_stack_low(void)
{
    return sg_stack_left() < reserve;
}

int js_compiler_depth(void)
{
    size_t left = sg_stack_left();
    size_t depth = left > reserve ? (left - reserve) / COMPILER_LEVEL_BYTES : 0;
    return (int)(depth < COMPILER_MAX_DEPTH ? depth : COMPILER_MAX_DEPTH);
}
