/* Component calls (Python guests, the spacedrive:plugin world) over wasmtime's
 * C API, without wasmtime-py's conversion of every value in Python.
 *
 * `sd_component_handle` builds the `handle` export's parameters here, calls
 * `wasmtime_component_func_call` (with the GIL released: cffi drops it around
 * the call) and reads its `result<message, failure>` here; the tail crosses
 * as the world's `octets`, written and read in this file. `sd_component_call`
 * and `sd_component_http` are the `call` and `http` imports as wasmtime
 * callbacks: they read the arguments, hand them to Python once
 * (`sd_py_component_serve`: the wire decides everything) and build the answer.
 *
 * Strings given to wasmtime must be UTF-8 (its C API unwraps the check: a
 * bad one aborts the process): every string built here is ASCII, or bytes
 * Python has checked.
 *
 * The value layout is wasmtime 50's (wasmtime/component/val.h);
 * `sd_component_layout` lets Python check it against wasmtime-py's ctypes
 * declarations before anything here runs. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

struct sd_cval;

typedef struct {
    size_t size;
    uint8_t *data;
} sd_cname; /* wasm_name_t */

typedef struct sd_centry sd_centry;

typedef struct {
    size_t size;
    sd_centry *data;
} sd_crecord;

typedef struct {
    bool is_ok;
    struct sd_cval *val;
} sd_cresult;

typedef struct sd_cval {
    uint8_t kind;
    union {
        sd_cname string;
        sd_crecord record;
        struct sd_cval *option;
        sd_cresult result;
        uint64_t words[3];
    } of;
} sd_cval;

struct sd_centry {
    sd_cname name;
    sd_cval val;
};

/* wasmtime_component_valkind_t values (checked by Python). */
enum { SD_KIND_STRING = 12, SD_KIND_RECORD = 14, SD_KIND_OPTION = 18, SD_KIND_RESULT = 19 };

/* sd_wasmtime's entries (wasmtime's functions, as void pointers in the shared declarations). */
typedef void *(*sd_func_call_fn)(const void *func, void *ctx, const sd_cval *args, size_t nargs, sd_cval *results,
                                 size_t nresults);
typedef void (*sd_val_delete_fn)(sd_cval *val);
typedef sd_cval *(*sd_val_new_fn)(sd_cval *val);
typedef void (*sd_name_new_fn)(sd_cname *out, size_t size);
typedef void (*sd_record_new_fn)(sd_crecord *out, size_t size);
typedef void *(*sd_error_new_fn)(const char *message);

/* The first bytes of a tail answered as hex; the rest is two lowercase digits a byte. */
#define SD_HEX_MARK ' '

static const char sd_hex_digits[] = "0123456789abcdef";

/* A hex digit's value, or 0x10 set when it is none (upper and lower case, as bytes.fromhex). */
static uint8_t sd_nibble[256];

/* Once, at import (Python calls it before anything else here). */
static void sd_component_init(void) {
    for (int i = 0; i < 256; i++) {
        sd_nibble[i] = 0x10;
    }
    for (int i = 0; i < 10; i++) {
        sd_nibble['0' + i] = (uint8_t)i;
    }
    for (int i = 0; i < 6; i++) {
        sd_nibble['a' + i] = sd_nibble['A' + i] = (uint8_t)(10 + i);
    }
}

static int sd_is_ascii(const uint8_t *p, size_t n) {
    uint64_t high = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        high |= w;
    }
    for (; i < n; i++) {
        high |= p[i];
    }
    return (high & 0x8080808080808080ull) == 0;
}

#if defined(__SSE2__)
/* Hex digits of in[0, n) into out, 16 bytes at a time; how many bytes it wrote digits for. */
static size_t sd_hex_encode_wide(const uint8_t *in, size_t n, uint8_t *out) {
    const __m128i nibble = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9), zero = _mm_set1_epi8('0');
    const __m128i gap = _mm_set1_epi8('a' - '0' - 10);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
        __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), nibble), lo = _mm_and_si128(v, nibble);
        hi = _mm_add_epi8(_mm_add_epi8(hi, zero), _mm_and_si128(_mm_cmpgt_epi8(hi, nine), gap));
        lo = _mm_add_epi8(_mm_add_epi8(lo, zero), _mm_and_si128(_mm_cmpgt_epi8(lo, nine), gap));
        _mm_storeu_si128((__m128i *)(void *)(out + 2 * i), _mm_unpacklo_epi8(hi, lo));
        _mm_storeu_si128((__m128i *)(void *)(out + 2 * i + 16), _mm_unpackhi_epi8(hi, lo));
    }
    return i;
}

/* x < limit, per unsigned byte. */
static __m128i sd_below(__m128i x, char limit) {
    return _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8((char)(limit - 1))), x);
}

/* The nibble values of 16 hex digits; clears lanes of `valid` that are not digits. */
static __m128i sd_nibbles(__m128i c, __m128i *valid) {
    __m128i digit = _mm_sub_epi8(c, _mm_set1_epi8('0'));
    __m128i letter = _mm_sub_epi8(_mm_or_si128(c, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    __m128i is_digit = sd_below(digit, 10), is_letter = sd_below(letter, 6);
    *valid = _mm_and_si128(*valid, _mm_or_si128(is_digit, is_letter));
    return _mm_or_si128(_mm_and_si128(is_digit, digit),
                        _mm_and_si128(is_letter, _mm_add_epi8(letter, _mm_set1_epi8(10))));
}

/* Bytes of the hex digits s[0, 2 * count) into buf, 16 at a time; how many it wrote, and 0 in
 * *ok when a digit was not one. */
static size_t sd_hex_decode_wide(const uint8_t *s, size_t count, uint8_t *buf, int *ok) {
    __m128i valid = _mm_set1_epi8(-1);
    const __m128i low = _mm_set1_epi16(0x00ff);
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m128i a = sd_nibbles(_mm_loadu_si128((const __m128i *)(const void *)(s + 2 * i)), &valid);
        __m128i b = sd_nibbles(_mm_loadu_si128((const __m128i *)(const void *)(s + 2 * i + 16)), &valid);
        /* each 16-bit lane holds (first digit, second digit): the byte is first << 4 | second */
        a = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(a, low), 4), _mm_srli_epi16(a, 8));
        b = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(b, low), 4), _mm_srli_epi16(b, 8));
        _mm_storeu_si128((__m128i *)(void *)(buf + i), _mm_packus_epi16(a, b));
    }
    *ok = _mm_movemask_epi8(valid) == 0xFFFF;
    return i;
}
#endif

/* The length of `data` as octets: itself when ASCII and not starting with the mark, else mark + hex. */
static size_t sd_octets_size(const uint8_t *data, size_t n, int *as_is) {
    *as_is = sd_is_ascii(data, n) && !(n > 0 && data[0] == SD_HEX_MARK);
    return *as_is ? n : 1 + 2 * n;
}

/* Writes `data` as octets into `out` (sd_octets_size bytes). */
static void sd_octets_write(const uint8_t *data, size_t n, int as_is, uint8_t *out) {
    if (as_is) {
        if (n) {
            memcpy(out, data, n);
        }
        return;
    }
    out[0] = SD_HEX_MARK;
    size_t i = 0;
#if defined(__SSE2__)
    i = sd_hex_encode_wide(data, n, out + 1);
#endif
    uint8_t *digits = out + 1 + 2 * i;
    for (const uint8_t *p = data + i, *end = data + n; p < end; p++, digits += 2) {
        digits[0] = (uint8_t)sd_hex_digits[*p >> 4];
        digits[1] = (uint8_t)sd_hex_digits[*p & 15];
    }
}

/* Room `sd_octets_read` needs in its buffer for `n` bytes of octets: none for the plain form. */
static size_t sd_octets_room(const uint8_t *s, size_t n) { return n > 0 && s[0] == SD_HEX_MARK ? n / 2 : 0; }

/* Reads octets: 1 with the bytes in (*data, *len) (pointing into `s` when as is, else into
 * `buf`, which has room for sd_octets_room bytes); 0 when `s` is not octets. */
static int sd_octets_read(const uint8_t *s, size_t n, uint8_t *buf, const uint8_t **data, size_t *len) {
    if (n == 0 || s[0] != SD_HEX_MARK) {
        *data = s;
        *len = n;
        return sd_is_ascii(s, n);
    }
    if ((n - 1) % 2 != 0) {
        return 0;
    }
    size_t count = (n - 1) / 2, i = 0;
    uint8_t bad = 0;
#if defined(__SSE2__)
    int ok;
    i = sd_hex_decode_wide(s + 1, count, buf, &ok);
    bad = ok ? 0 : 0x10;
#endif
    const uint8_t *digits = s + 1 + 2 * i;
    for (uint8_t *p = buf + i, *end = buf + count; p < end; p++, digits += 2) {
        uint8_t hi = sd_nibble[digits[0]], lo = sd_nibble[digits[1]];
        bad |= hi | lo;
        *p = (uint8_t)(hi << 4 | lo);
    }
    *data = buf;
    *len = count;
    return (bad & 0x10) == 0;
}

typedef struct {
    sd_func_call_fn func_call;
    sd_val_delete_fn val_delete;
    sd_val_new_fn val_new;
    sd_name_new_fn name_new;
    sd_record_new_fn record_new;
    sd_error_new_fn error_new;
} sd_api_fns;

static const sd_api_fns *sd_api(const sd_component *c) { return (const sd_api_fns *)c->api; }

static sd_cval *sd_result(sd_component *c) { return (sd_cval *)(void *)c->result; }

static int sd_reserve(uint8_t **buf, size_t *cap, size_t need) {
    if (need <= *cap) {
        return 1;
    }
    uint8_t *grown = realloc(*buf, need);
    if (grown == NULL) {
        return 0;
    }
    *buf = grown;
    *cap = need;
    return 1;
}

/* Buffers above this size are not kept between calls. */
#define SD_KEEP_BUFFER (4u << 20)

static void sd_trim(uint8_t **buf, size_t *cap) {
    if (*cap > SD_KEEP_BUFFER) {
        free(*buf);
        *buf = NULL;
        *cap = 0;
    }
}

static void sd_borrow(sd_cval *v, const char *s, size_t n) {
    v->kind = SD_KIND_STRING;
    v->of.string.size = n;
    v->of.string.data = (uint8_t *)s; /* wasmtime copies its arguments */
}

static const sd_cname *sd_field(const sd_cval *record, size_t i, const char *name) {
    const sd_centry *e = &record->of.record.data[i];
    size_t n = strlen(name);
    if (e->name.size != n || memcmp(e->name.data, name, n) != 0 || e->val.kind != SD_KIND_STRING) {
        return NULL;
    }
    return &e->val.of.string;
}

/* Releases the last answer of `handle`. */
static void sd_component_release(sd_component *c) {
    if (c->has_result) {
        sd_api(c)->val_delete(sd_result(c));
        c->has_result = 0;
    }
    sd_trim(&c->buf, &c->buf_cap);
}

static int sd_component_handle(sd_component *c, const void *func, void *ctx, const char *method, size_t method_len,
                               const char *library, size_t library_len, const char *json, size_t json_len,
                               const char *tail, size_t tail_len, sd_component_answer *out) {
    const sd_api_fns *api = sd_api(c);
    sd_component_release(c);
    memset(out, 0, sizeof *out);
    int as_is;
    size_t octets_len = sd_octets_size((const uint8_t *)tail, tail_len, &as_is);
    const char *octets = tail;
    if (!as_is) {
        if (!sd_reserve(&c->out, &c->out_cap, octets_len)) {
            return SD_ANSWER_NO_MEMORY;
        }
        sd_octets_write((const uint8_t *)tail, tail_len, 0, c->out);
        octets = (const char *)c->out;
    }
    sd_cval lib = {0};
    sd_cval args[4];
    memset(args, 0, sizeof args);
    sd_borrow(&args[0], method, method_len);
    args[1].kind = SD_KIND_OPTION;
    if (library != NULL) {
        sd_borrow(&lib, library, library_len);
        args[1].of.option = &lib;
    }
    sd_borrow(&args[2], json, json_len);
    sd_borrow(&args[3], octets, octets_len);
    memset(c->result, 0, sizeof c->result);
    out->error = api->func_call(func, ctx, args, 4, sd_result(c), 1);
    sd_trim(&c->out, &c->out_cap);
    if (out->error != NULL) {
        return SD_ANSWER_FAILED;
    }
    c->has_result = 1;
    const sd_cval *r = sd_result(c), *payload = r->of.result.val;
    if (r->kind != SD_KIND_RESULT || payload == NULL || payload->kind != SD_KIND_RECORD ||
        payload->of.record.size != 2) {
        return SD_ANSWER_NOT_A_MESSAGE;
    }
    int ok = r->of.result.is_ok;
    const sd_cname *first = sd_field(payload, 0, ok ? "json" : "code");
    const sd_cname *second = sd_field(payload, 1, ok ? "tail" : "message");
    if (first == NULL || second == NULL) {
        return SD_ANSWER_NOT_A_MESSAGE;
    }
    out->a = (const char *)first->data;
    out->a_len = first->size;
    if (!ok) {
        out->b = (const char *)second->data;
        out->b_len = second->size;
        return SD_ANSWER_ERR;
    }
    if (!sd_reserve(&c->buf, &c->buf_cap, sd_octets_room(second->data, second->size))) {
        return SD_ANSWER_NO_MEMORY;
    }
    const uint8_t *data;
    size_t len;
    if (!sd_octets_read(second->data, second->size, c->buf, &data, &len)) {
        return SD_ANSWER_TAIL_NOT_OCTETS;
    }
    out->b = (const char *)data;
    out->b_len = len;
    return SD_ANSWER_OK;
}

/* A string value of wasmtime's own allocation holding `n` bytes of `src`. */
static void sd_owned(const sd_api_fns *api, sd_cname *dst, const char *src, size_t n) {
    api->name_new(dst, n);
    if (n) {
        memcpy(dst->data, src, n);
    }
}

static void sd_entry(const sd_api_fns *api, sd_centry *e, const char *name, const char *s, size_t n) {
    sd_owned(api, &e->name, name, strlen(name));
    e->val.kind = SD_KIND_STRING;
    sd_owned(api, &e->val.of.string, s, n);
}

/* results[0] = ok(message{json, tail as octets}) or err(failure{code, message}). */
static void sd_answer_import(const sd_api_fns *api, const sd_component_reply *reply, sd_cval *result) {
    sd_cval payload;
    memset(&payload, 0, sizeof payload);
    payload.kind = SD_KIND_RECORD;
    api->record_new(&payload.of.record, 2);
    sd_centry *e = payload.of.record.data;
    if (reply->ok) {
        sd_entry(api, &e[0], "json", reply->a, reply->a_len);
        sd_owned(api, &e[1].name, "tail", 4);
        e[1].val.kind = SD_KIND_STRING;
        int as_is;
        size_t n = sd_octets_size((const uint8_t *)reply->b, reply->b_len, &as_is);
        api->name_new(&e[1].val.of.string, n);
        if (n) {
            sd_octets_write((const uint8_t *)reply->b, reply->b_len, as_is, e[1].val.of.string.data);
        }
    } else {
        sd_entry(api, &e[0], "code", reply->a, reply->a_len);
        sd_entry(api, &e[1], "message", reply->b, reply->b_len);
    }
    memset(result, 0, sizeof *result);
    result->kind = SD_KIND_RESULT;
    result->of.result.is_ok = reply->ok != 0;
    result->of.result.val = api->val_new(&payload);
}

static void *sd_component_import(sd_component *c, int is_call, sd_cval *args, size_t nargs, sd_cval *results,
                                 size_t nresults) {
    const sd_api_fns *api = sd_api(c);
    size_t want = is_call ? 4 : 2;
    int shaped = nargs == want && nresults == 1;
    for (size_t i = 0; shaped && i < nargs; i++) {
        shaped = args[i].kind == (is_call && i == 1 ? SD_KIND_OPTION : SD_KIND_STRING);
    }
    const sd_cval *library = shaped && is_call ? args[1].of.option : NULL;
    if (!shaped || (library != NULL && library->kind != SD_KIND_STRING)) {
        return api->error_new(is_call ? "the call import is not of the spacedrive:plugin world's type"
                                      : "the http import is not of the spacedrive:plugin world's type");
    }
    const sd_cname *json = &args[is_call ? 2 : 0].of.string, *octets = &args[is_call ? 3 : 1].of.string;
    const uint8_t *tail = NULL;
    size_t tail_len = 0;
    int tail_ok = sd_reserve(&c->buf, &c->buf_cap, sd_octets_room(octets->data, octets->size)) &&
                  sd_octets_read(octets->data, octets->size, c->buf, &tail, &tail_len);
    sd_component_reply reply = {0};
    sd_py_component_serve(c->handle, is_call, is_call ? (const char *)args[0].of.string.data : NULL,
                          is_call ? args[0].of.string.size : 0,
                          library != NULL ? (const char *)library->of.string.data : NULL,
                          library != NULL ? library->of.string.size : 0, (const char *)json->data, json->size,
                          tail_ok ? (const char *)tail : NULL, tail_len, tail_ok, &reply);
    sd_trim(&c->buf, &c->buf_cap);
    sd_answer_import(api, &reply, &results[0]);
    return NULL;
}

static void *sd_component_call(void *env, void *ctx, const void *ty, sd_cval *args, size_t nargs, sd_cval *results,
                               size_t nresults) {
    (void)ctx;
    (void)ty;
    return sd_component_import((sd_component *)env, 1, args, nargs, results, nresults);
}

static void *sd_component_http(void *env, void *ctx, const void *ty, sd_cval *args, size_t nargs, sd_cval *results,
                               size_t nresults) {
    (void)ctx;
    (void)ty;
    return sd_component_import((sd_component *)env, 0, args, nargs, results, nresults);
}

static void *sd_component_callback(int is_call) {
    return is_call ? (void *)sd_component_call : (void *)sd_component_http;
}

static void sd_component_free(sd_component *c) {
    sd_component_release(c);
    free(c->buf);
    free(c->out);
    c->buf = c->out = NULL;
    c->buf_cap = c->out_cap = 0;
}

/* The layout Python checks: 0 sizeof(val), 1 offsetof(val, of), 2 sizeof(entry), 3 offsetof(entry, val),
 * 4 offsetof(result, val), 5 sizeof(name). */
static size_t sd_component_layout(int which) {
    switch (which) {
    case 0:
        return sizeof(sd_cval);
    case 1:
        return offsetof(sd_cval, of);
    case 2:
        return sizeof(sd_centry);
    case 3:
        return offsetof(sd_centry, val);
    case 4:
        return offsetof(sd_cresult, val);
    case 5:
        return sizeof(sd_cname);
    default:
        return 0;
    }
}

/* The octets codec alone (tests compare it with the Python one): `sd_octets_encode` writes
 * sd_octets_encoded_size(...) bytes; `sd_octets_decode` returns the length, or -1 when not octets. */
static size_t sd_octets_encoded_size(const char *data, size_t n) {
    int as_is;
    return sd_octets_size((const uint8_t *)data, n, &as_is);
}

static void sd_octets_encode(const char *data, size_t n, char *out) {
    int as_is;
    sd_octets_size((const uint8_t *)data, n, &as_is);
    sd_octets_write((const uint8_t *)data, n, as_is, (uint8_t *)out);
}

/* `out` has room for n bytes (the plain form's length). */
static long long sd_octets_decode(const char *s, size_t n, char *out) {
    const uint8_t *data;
    size_t len;
    if (!sd_octets_read((const uint8_t *)s, n, (uint8_t *)out, &data, &len)) {
        return -1;
    }
    if (data != (const uint8_t *)out && len) {
        memmove(out, data, len);
    }
    return (long long)len;
}
