/* The table of guest functions, filled by snapgate_init and fixed after it. */
#include <stdarg.h>

#include "runtime.h"

static sg_entry table[SG_MAX_FUNCTIONS];
static int table_len;
static bool closed;

int sg_register(const char *name, sg_function fn, sg_type ret, int nparams, ...)
{
    if (closed || table_len == SG_MAX_FUNCTIONS || name == NULL || name[0] == '\0' || fn == NULL
        || nparams < 0 || nparams > SG_MAX_PARAMS || (ret != SG_VOID && !sg_is_value_type(ret)))
        return -1;
    uint32_t name_len = (uint32_t)strlen(name);
    if (sg_find_function((const uint8_t *)name, name_len) != NULL)
        return -1;

    sg_entry *e = &table[table_len];
    va_list ap;
    va_start(ap, nparams);
    for (int i = 0; i < nparams; i++) {
        int t = va_arg(ap, int); /* an sg_type, promoted */
        if (!sg_is_value_type(t)) {
            va_end(ap);
            return -1;
        }
        e->params[i] = (sg_type)t;
    }
    va_end(ap);
    e->name = name;
    e->name_len = name_len;
    e->fn = fn;
    e->ret = ret;
    e->nparams = nparams;
    table_len++;
    return 0;
}

const sg_entry *sg_find_function(const uint8_t *name, uint32_t len)
{
    for (int i = 0; i < table_len; i++)
        if (table[i].name_len == len && memcmp(table[i].name, name, len) == 0)
            return &table[i];
    return NULL;
}

void sg_registry_close(void)
{
    closed = true;
}

mp_writer sg_write_signatures(mp_writer w)
{
    w = mp_write_array(w, (uint32_t)table_len);
    for (int i = 0; i < table_len; i++) {
        const sg_entry *e = &table[i];
        w = mp_write_array(w, 3);
        w = mp_write_str(w, (const uint8_t *)e->name, e->name_len);
        w = mp_write_array(w, (uint32_t)e->nparams);
        for (int p = 0; p < e->nparams; p++)
            w = mp_write_uint(w, e->params[p]);
        w = mp_write_uint(w, e->ret);
    }
    return w;
}
