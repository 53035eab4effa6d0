/* sg_log: a log frame [level, message], then the LOG exit; the host resumes us. */
#include "runtime.h"

void sg_log_bytes(int level, const void *message, uint32_t len)
{
    sg_frame_code_message(level, message, len);
    sg_exit(SG_PORT_LOG, (uint32_t)level);
}

void sg_log(int level, const char *message)
{
    sg_log_bytes(level, message, (uint32_t)strlen(message));
}
