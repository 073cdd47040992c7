/*
 * Small helpers over jansson, the one JSON library (docs/design.md): every
 * JSON c7gen reads or writes goes through it.  Objects keep their keys in
 * insertion order, so output built in a fixed order is deterministic.
 * jansson reports allocation failure as NULL; these helpers turn that into
 * an abort, as xmalloc does, so callers need no NULL checks.
 */
#ifndef C7_BASE_JSON_H
#define C7_BASE_JSON_H

#include <stddef.h>

#include <jansson.h>

struct strbuf;

/* A JSON string holding `s`; bytes that are not valid UTF-8 become
 * U+FFFD (JSON text must be Unicode).  NULL gives JSON null. */
json_t *json_str_new(const char *s);
json_t *json_strn_new(const char *s, size_t len);
json_t *json_obj_new(void);
json_t *json_arr_new(void);
json_t *json_int_new(long long v);
/* obj[key] = value, taking the reference to `value`. */
void json_obj_put(json_t *obj, const char *key, json_t *value);
/* Appends `value` to the array, taking the reference. */
void json_arr_put(json_t *arr, json_t *value);
/* Appends the serialisation of `j` with jansson's dump `flags`. */
void json_to_strbuf(struct strbuf *sb, const json_t *j, size_t flags);

#endif
