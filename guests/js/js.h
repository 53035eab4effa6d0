/*
 * The JavaScript runtime guest: Duktape 2.7 (Debian's duktape-dev, built from its single-file source) on the
 * SDK. Its init evaluates the script the host hands it (the init input) and registers every function the
 * script exports as a guest function of JSON values; guests/README.md, "JavaScript functions".
 */
#ifndef SG_JS_H
#define SG_JS_H

#include <snapgate.h>

#include "duktape.h"

/* Guest error codes of a JavaScript function (the SDK's own end at SG_ERR_USER). */
enum {
    JS_ERR_THROWN = SG_ERR_USER,   /* the function threw: the message is the exception's stack */
    JS_ERR_RESULT = SG_ERR_USER + 1 /* the result has no JSON text (an unpaired surrogate in a string) */
};

/*
 * Duktape's text as UTF-8, in a malloc'd buffer the caller frees (*out_len bytes plus a NUL). Duktape keeps
 * JavaScript's lone surrogates and the halves of a pair made in JavaScript ("\ud83d\ude00") as 3-byte
 * sequences, which are not UTF-8: pairs are joined into their character; a lone surrogate (or any other byte
 * that is not UTF-8) is written as a \uXXXX (\xNN) escape when escape is true, and makes the conversion fail
 * (NULL, *bad set to its offset) when it is false. NULL with *bad SIZE_MAX: out of memory.
 */
char *js_utf8(const char *in, size_t len, bool escape, size_t *out_len, size_t *bad);

/* Defines console, Math.random, snapgate.host, exports and module on the global object (natives.c). */
void js_install_globals(duk_context *ctx);

#endif
