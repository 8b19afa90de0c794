/* json: jv helpers and the NDJSON reader. */
#ifndef TH_JSON_H
#define TH_JSON_H
#include <stdio.h>
#include <jv.h>

/*
 * Parse one JSON text. Integers a double cannot hold exactly (beyond
 * 2^53) become strings of the same digits, so an id never loses a digit
 * inside libjq 1.6. Returns an invalid jv with a message on error.
 */
jv th_json_parse(const char *buf, size_t len);
/* Compact JSON text of v (consumed), malloc'd; NULL on failure. */
char *th_json_dump(jv v);
/* The string member key of obj (borrowed), malloc'd, or NULL if absent or
 * not a string. */
char *th_jv_strdup(jv obj, const char *key);
/* The member key of obj (borrowed), owned by the caller; jv_null() when
 * it is absent or obj is not an object. */
jv th_jv_get(jv obj, const char *key);
/* obj (consumed) with key set to the string v; obj as is when v is NULL. */
jv th_jv_setstr(jv obj, const char *key, const char *v);
/* The member key of obj (borrowed) as a string: a string as is, a number
 * printed as an integer; NULL otherwise. malloc'd. */
char *th_jv_idstr(jv obj, const char *key);

/* Epoch seconds of a Threads timestamp ("2024-07-01T12:00:00+0000"),
 * ISO 8601 with Z or an offset, or bare epoch seconds; -1 if none. */
long long th_time_parse(const char *s);
/* t as the API writes a time, "2024-07-01T12:00:00+0000", into buf; its
 * length, or 0 and "" when no date has it (a year past int). */
size_t th_time_format(long long t, char buf[32]);
/* t for a person, "2024-07-01 12:00 UTC", into buf; "a date no
 * calendar has" when none has it (a year past int: a corrupt file). */
void th_time_human(long long t, char buf[32]);
/* A time given by a person: th_time_parse()'s forms, a date
 * (YYYY-MM-DD, midnight UTC), or an age before now: 90m, 2h, 3d, 1w, 30s.
 * -1 if it is none of them. */
long long th_time_arg(const char *s, long long now);
/* A duration: "90" (in units of unit seconds; unit 0: a unit must be
 * given), "30s", "90m", "36h", "7d", "2w", up to 100 years. Seconds, or -1. */
long th_duration(const char *s, long unit);
/* th_time_parse() of the string member key of obj (borrowed). */
long long th_jv_time(jv obj, const char *key);

/* A number jv (borrowed) as an integer, clamped to +-2^62; NaN and
 * anything not a number are 0. Never cast jv_number_value() directly. */
long long th_jv_num(jv v);
/* th_jv_num() of the member key of obj (borrowed): 0 when it is absent
 * or not a number. */
long long th_jv_getnum(jv obj, const char *key);

/* Does v (borrowed) hold a string, or a member name, with a NUL in it
 * (JSON's \u0000)? C would see it cut short there: input with one is
 * refused (65), never used. */
int th_jv_hasnul(jv v);

/* Is s a Threads id (1 to 30 digits)? */
int th_isid(const char *s);

/* NDJSON reader: one record per line, errors name the line. A line is
 * at most TH_NDJSON_MAX bytes (a post is a few KiB). */
#define TH_NDJSON_MAX	(8 << 20)
struct th_ndjson {
	FILE	*f;
	const char *name;	/* for messages: "stdin", a path */
	char	*line;
	size_t	 cap;
	long	 lineno;
	char	 why[128];	/* the last line refused, in words */
};
void th_ndjson_open(struct th_ndjson *r, FILE *f, const char *name);
/*
 * Read the next record into *out (owned by the caller). Returns 1 for a
 * record, 0 at end of input, or 65 after reporting a malformed or
 * non-object line (*out is then jv_invalid(); reading may go on).
 * Blank lines are skipped.
 */
int th_ndjson_next(struct th_ndjson *r, jv *out);
void th_ndjson_close(struct th_ndjson *r);
#endif
