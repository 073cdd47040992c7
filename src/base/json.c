#include "base/json.h"

#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

static json_t *checked(json_t *j)
{
	if (!j)
		BUG("jansson could not allocate");
	return j;
}

/* Length of the valid UTF-8 sequence at s[i], or 0 if there is none. */
static size_t utf8_seq(const unsigned char *s, size_t len, size_t i)
{
	unsigned char c = s[i];
	size_t n;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0) {
		n = 1;
		cp = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		n = 2;
		cp = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		n = 3;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t k = 1; k <= n; k++) {
		if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i + k] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
	    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n + 1;
}

json_t *json_strn_new(const char *s, size_t len)
{
	if (!s)
		return checked(json_null());
	const unsigned char *u = (const unsigned char *)s;
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;
	while (i < len) {
		size_t n = utf8_seq(u, len, i);
		if (n) {
			strbuf_add(&sb, s + i, n);
			i += n;
		} else {
			strbuf_addstr(&sb, "\xEF\xBF\xBD");
			i++;
		}
	}
	json_t *j = checked(json_stringn_nocheck(strbuf_str(&sb), sb.len));
	strbuf_release(&sb);
	return j;
}

json_t *json_str_new(const char *s)
{
	return json_strn_new(s, s ? strlen(s) : 0);
}

json_t *json_obj_new(void)
{
	return checked(json_object());
}

json_t *json_arr_new(void)
{
	return checked(json_array());
}

json_t *json_int_new(long long v)
{
	return checked(json_integer(v));
}

void json_obj_put(json_t *obj, const char *key, json_t *value)
{
	if (json_object_set_new(obj, key, value) != 0)
		BUG("jansson could not set an object member");
}

void json_arr_put(json_t *arr, json_t *value)
{
	if (json_array_append_new(arr, value) != 0)
		BUG("jansson could not append to an array");
}

void json_to_strbuf(struct strbuf *sb, const json_t *j, size_t flags)
{
	size_t n = json_dumpb(j, NULL, 0, flags);
	if (n == 0)
		BUG("jansson could not serialise a value");
	strbuf_grow(sb, n + 1);
	json_dumpb(j, sb->buf + sb->len, n, flags);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}
