/* sg_abort: an abort frame [code, message], then the ABORT exit. */
#include "runtime.h"

_Noreturn void sg_abort(int32_t code, const char *message)
{
    sg_stdio_flush();
    sg_frame_code_message(code, (const uint8_t *)message, (uint32_t)strlen(message));
    for (;;) /* the host never resumes an abort; if it does, abort again */
        sg_exit(SG_PORT_ABORT, (uint32_t)code);
}
