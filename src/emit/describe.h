/* Change list -> one line per difference, for check's findings. */
#ifndef C7_EMIT_DESCRIBE_H
#define C7_EMIT_DESCRIBE_H

struct strbuf;
struct change;

/* What the difference is about: "users", "users.email", "enum mood". */
void describe_object(struct strbuf *sb, const struct change *c);
/* How models and database differ: "nullable in models, NOT NULL in
 * database".  Several aspects are joined with "; ". */
void describe_difference(struct strbuf *sb, const struct change *c);

#endif
