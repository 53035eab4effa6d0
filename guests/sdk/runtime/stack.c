/* sg_stack_left: how far the caller is from the guard page below the stack. */
#include "runtime.h"

size_t sg_stack_left(void)
{
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    return here > sg_layout.stack_low ? here - sg_layout.stack_low : 0;
}
