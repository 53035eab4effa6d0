/*
 * The guest's changes to Debian's Duktape configuration (duk_config.h), which the build includes after it
 * (guests/Makefile). They make deep recursion a RangeError that a script can catch, never a fault on the
 * guard page below the guest's stack (which aborts the call) nor a stop at the call's deadline.
 */
#ifndef SG_JS_ENGINE_LIMITS_H
#define SG_JS_ENGINE_LIMITS_H

/* The stack's budget (stack.c): js_stack_init, at the start of the init, sizes the reserve. */
void js_stack_init(void);
int js_stack_low(void);
int js_compiler_depth(void);

/*
 * The engine's C recursions (a call made from C code, such as a callback of Array.prototype.map or
 * JSON.stringify's replacer; a level of JSON.parse and JSON.stringify, of a regular expression's
 * compilation and of its matching; a number's conversion) check the stack before going deeper, and throw
 * a RangeError ("C stack depth limit") when it is low.
 */
#undef DUK_USE_NATIVE_STACK_CHECK
#define DUK_USE_NATIVE_STACK_CHECK() js_stack_low()

/*
 * The compiler's recursion (nested expressions, statements and functions in a script, eval or new Function)
 * checks a depth instead, read when a compilation starts: as deep as the stack left allows, at most
 * Duktape's own 2500 levels.
 */
#undef DUK_USE_COMPILER_RECLIMIT
#define DUK_USE_COMPILER_RECLIMIT js_compiler_depth()

/*
 * JSON.parse and JSON.stringify nest at most 512 arrays and objects (Duktape's own limit is 1,000): the most the
 * host takes in a JSON value (vmm-worker's JsonSyntax.MAX_DEPTH), so that a result nested deeper is a RangeError
 * the script can see, not a result the host refuses as a broken frame (which aborts the call).
 */
#undef DUK_USE_JSON_ENC_RECLIMIT
#define DUK_USE_JSON_ENC_RECLIMIT 512
#undef DUK_USE_JSON_DEC_RECLIMIT
#define DUK_USE_JSON_DEC_RECLIMIT 512

/*
 * The value stack (every active call's arguments and variables, 16 bytes each) at most 4MiB instead of
 * Duktape's 16MiB, which is all of a script's default heap: a deep recursion of a function with many
 * variables, or an apply() with a huge array of arguments, is a RangeError ("valstack limit") rather than
 * the heap's exhaustion. Growing it copies it, so it needs twice that while it grows.
 */
#undef DUK_USE_VALSTACK_LIMIT
#define DUK_USE_VALSTACK_LIMIT 262144L

#endif
