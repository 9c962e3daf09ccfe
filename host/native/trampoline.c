/* The byte-moving half of ABI v1's calls, in C.
 *
 * wasmtime calls `sd_call_callback` / `sd_http_callback` directly for the
 * guest's `spacedrive_call` / `spacedrive_http`. The common case, a request
 * that lies inside guest memory and is well framed, is read here, handed to
 * Python once (`sd_py_serve`: the wire decides everything), and the response
 * block is allocated in the guest (`wasm_alloc`, called with the GIL
 * released) and written here. Anything irregular goes to the Python
 * implementation untouched (`sd_py_slow`), so its checks and messages stay the
 * only ones; faults found here are reported through `sd_py_fault`.
 *
 * `sd_exchange` does the same for a call into the plugin: the request buffer
 * allocated, written, `plugin_handle` called and the buffer freed, all in one
 * stretch without the GIL (cffi releases it around the call).
 *
 * Every guest (ptr, len) is a u32 pair checked against the memory size read
 * right before it is used, in 64-bit arithmetic (no wrap).
 */

#include <stdint.h>
#include <string.h>

typedef void *(*sd_memory_data_fn)(const void *ctx, const void *memory);
typedef size_t (*sd_memory_size_fn)(const void *ctx, const void *memory);
typedef void *(*sd_call_fn)(void *ctx, const void *func, void *vals, size_t n, void **trap);

#define SD_SLOT_WORDS 4 /* a wasmtime_val_raw_t is 16 bytes: 4 u32 words */
/* SD_MAX_METHOD_LEN, SD_MESSAGE_HEADER, SD_BLOCK_HEADER, SD_BLOCK_PREFIX, SD_STATUS_*:
 * sd_abi.h, generated from the schema, precedes this file. */

static uint32_t sd_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void sd_put_u32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static int sd_inside(uint64_t ptr, uint64_t len, uint64_t size) { return ptr + len <= size; }

/* Answers one request; what the guest's call returns (0: no response). */
static uint32_t sd_answer(sd_host *h, int is_call, const uint32_t *args) {
    uint32_t method_ptr = 0, method_len = 0, library_ptr = 0, payload_ptr, payload_len;
    if (is_call) {
        method_ptr = args[0];
        method_len = args[SD_SLOT_WORDS];
        library_ptr = args[2 * SD_SLOT_WORDS];
        payload_ptr = args[3 * SD_SLOT_WORDS];
        payload_len = args[4 * SD_SLOT_WORDS];
    } else {
        payload_ptr = args[0];
        payload_len = args[SD_SLOT_WORDS];
    }
    if (h->in_alloc) {
        /* wasm_alloc called back into the host: a protocol fault. */
        sd_py_fault(h->handle, SD_FAULT_REENTRANT, (uint64_t)is_call, 0, 0);
        return 0;
    }
    const uint8_t *base = NULL;
    uint64_t size = 0;
    if (h->memory != NULL) {
        base = h->memory_data(h->ctx, h->memory);
        size = h->memory_size(h->ctx, h->memory);
    }
    int regular = base != NULL && method_len <= SD_MAX_METHOD_LEN && sd_inside(method_ptr, method_len, size) &&
                  (library_ptr == 0 || sd_inside(library_ptr, 16, size)) && payload_len >= SD_MESSAGE_HEADER &&
                  payload_len <= h->max_payload && sd_inside(payload_ptr, payload_len, size);
    uint32_t json_len = regular ? sd_u32(base + payload_ptr) : 0;
    if (!regular || json_len > payload_len - SD_MESSAGE_HEADER) {
        return sd_py_slow(h->handle, is_call, method_ptr, method_len, library_ptr, payload_ptr, payload_len);
    }
    const uint8_t *json = base + payload_ptr + SD_MESSAGE_HEADER;
    sd_response out = {0};
    if (!sd_py_serve(h->handle, is_call ? (const char *)base + method_ptr : NULL, method_len,
                     library_ptr ? (const char *)base + library_ptr : NULL, (const char *)json, json_len,
                     (const char *)json + json_len, payload_len - SD_MESSAGE_HEADER - json_len, &out)) {
        return 0; /* the instance has already faulted */
    }
    uint64_t total = SD_BLOCK_PREFIX + (uint64_t)out.json_len + (uint64_t)out.tail_len;
    if (total > UINT32_MAX) {
        sd_py_fault(h->handle, SD_FAULT_INTERNAL, (uint64_t)is_call, 0, 0);
        return 0;
    }

    /* wasm_alloc(total): guest code, run without the GIL (cffi released it on return). */
    uint64_t vals[2] = {total, 0}; /* one 16-byte slot: the argument, then the result */
    void *trap = NULL;
    h->in_alloc = 1;
    void *error = h->call(h->ctx, h->alloc, vals, 1, &trap);
    h->in_alloc = 0;
    if (error != NULL || trap != NULL) {
        sd_py_fault(h->handle, SD_FAULT_ALLOC_FAILED, (uint64_t)(uintptr_t)error, (uint64_t)(uintptr_t)trap,
                    (uint64_t)is_call);
        return 0;
    }
    uint32_t ptr = (uint32_t)vals[0];
    if (ptr == 0) {
        return 0;
    }
    if (h->live_end > h->live_start && ptr < h->live_end && h->live_start < ptr + total) {
        sd_py_fault(h->handle, SD_FAULT_OVERLAP, ptr, total, (uint64_t)h->live_end << 32 | h->live_start);
        return 0;
    }
    /* The allocation may have grown, and so moved, memory. */
    uint8_t *now = h->memory_data(h->ctx, h->memory);
    size = h->memory_size(h->ctx, h->memory);
    if (!sd_inside(ptr, total, size)) {
        sd_py_fault(h->handle, SD_FAULT_OUTSIDE, ptr, total, size);
        return 0;
    }
    uint8_t *block = now + ptr;
    sd_put_u32(block, (uint32_t)(total - SD_BLOCK_HEADER));
    block[SD_BLOCK_HEADER] = out.status;
    sd_put_u32(block + SD_BLOCK_HEADER + 1, out.json_len);
    memcpy(block + SD_BLOCK_PREFIX, out.json, out.json_len);
    memcpy(block + SD_BLOCK_PREFIX + out.json_len, out.tail, out.tail_len);
    return ptr;
}

static void *sd_call_callback(void *env, void *caller, uint32_t *vals, size_t count) {
    (void)caller;
    (void)count;
    vals[0] = sd_answer((sd_host *)env, 1, vals);
    return NULL;
}

static void *sd_http_callback(void *env, void *caller, uint32_t *vals, size_t count) {
    (void)caller;
    (void)count;
    vals[0] = sd_answer((sd_host *)env, 0, vals);
    return NULL;
}

/* One guest call; 0 (with the error or trap kept in `out`) when it failed. */
static int sd_guest(sd_host *h, const void *func, uint64_t *vals, size_t slots, sd_exchange_result *out) {
    void *trap = NULL;
    void *error = h->call(h->ctx, func, vals, slots, &trap);
    if (error != NULL || trap != NULL) {
        out->code = SD_EXCHANGE_FAILED;
        out->error = error;
        out->trap = trap;
        return 0;
    }
    return 1;
}

/* A call of plugin_handle: the packed location of its response in `out` (the
 * caller reads and frees it), or why there is none. The caller has checked
 * the lengths against the payload limit. */
static void sd_exchange(sd_host *h, const char *method, uint32_t method_len, const char *json, uint32_t json_len,
                        const char *tail, uint32_t tail_len, sd_exchange_result *out) {
    uint64_t total = (uint64_t)method_len + SD_MESSAGE_HEADER + json_len + tail_len;
    uint64_t alloc[2] = {total, 0};
    if (!sd_guest(h, h->alloc, alloc, 1, out)) {
        return;
    }
    uint32_t req = (uint32_t)alloc[0];
    out->request = req;
    if (req == 0) {
        out->code = SD_EXCHANGE_NO_REQUEST;
        return;
    }
    uint8_t *base = h->memory_data(h->ctx, h->memory); /* after wasm_alloc, which may grow memory */
    if (!sd_inside(req, total, h->memory_size(h->ctx, h->memory))) {
        out->code = SD_EXCHANGE_REQUEST_OUTSIDE;
        return;
    }
    uint8_t *at = base + req;
    memcpy(at, method, method_len);
    sd_put_u32(at + method_len, json_len);
    memcpy(at + method_len + SD_MESSAGE_HEADER, json, json_len);
    memcpy(at + method_len + SD_MESSAGE_HEADER + json_len, tail, tail_len);

    /* plugin_handle(method_ptr, method_len, payload_ptr, payload_len) -> i64; four 16-byte slots. */
    uint64_t handle[8] = {req, 0, method_len, 0, (uint64_t)req + method_len, 0, total - method_len, 0};
    h->live_start = req;
    h->live_end = (uint32_t)(req + total);
    int handled = sd_guest(h, h->handle_fn, handle, 4, out);
    h->live_start = h->live_end = 0;
    if (!handled) {
        return;
    }
    uint64_t release[4] = {req, 0, total, 0};
    if (!sd_guest(h, h->free_fn, release, 2, out)) {
        return;
    }
    out->code = SD_EXCHANGE_DONE;
    out->location = handle[0];
}

static void *sd_callback(int is_call) { return is_call ? (void *)sd_call_callback : (void *)sd_http_callback; }
