/* sg_log: a log frame [level, message], then the LOG exit; the host resumes us. */
#include "runtime.h"

void sg_log(int level, const char *message)
{
    sg_frame_code_message(level, message);
    sg_exit(SG_PORT_LOG, (uint32_t)level);
}
