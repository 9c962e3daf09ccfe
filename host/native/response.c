/* The response half of a call into the plugin, in C (after trampoline.c, whose
 * helpers it uses): `sd_call_handle` is `sd_exchange` plus, in the same stretch
 * without the GIL, the response block checked the way Python's
 * `GuestMemory.View.regular_block` checks it; `sd_release` frees it once Python
 * has copied its parts. A block that is not regular is left to the Python path
 * untouched (it words the problem), so no check or message moves here. */

/* The parts of the regular response block at `location`, pointing into guest
 * memory (valid until the guest next runs); 0 when the block is not regular. */
static int sd_response_parts(sd_host *h, uint64_t location, sd_response *resp) {
    uint64_t ptr = location >> 32, size = location & UINT32_MAX;
    uint64_t body = ptr + SD_BLOCK_HEADER, start = body + 1 + SD_MESSAGE_HEADER, end = ptr + size;
    if (ptr == 0 || start > end || !sd_inside(ptr, size, h->memory_size(h->ctx, h->memory))) {
        return 0;
    }
    const uint8_t *base = h->memory_data(h->ctx, h->memory);
    uint32_t declared = sd_u32(base + ptr);
    uint8_t status = base[body];
    if ((uint64_t)declared + SD_BLOCK_HEADER != size || declared > h->max_payload || status > SD_STATUS_ERROR) {
        return 0;
    }
    uint32_t json_len = sd_u32(base + body + 1);
    if (start + json_len > end) {
        return 0;
    }
    resp->status = status;
    resp->json = (const char *)base + start;
    resp->json_len = json_len;
    resp->tail = (const char *)base + start + json_len;
    resp->tail_len = (uint32_t)(end - start - json_len);
    return 1;
}

/* `sd_exchange`, then the response's parts in `resp` and 1 when it is regular;
 * else 0, with `out` as `sd_exchange` left it. */
static int sd_call_handle(sd_host *h, const char *method, uint32_t method_len, const char *json, uint32_t json_len,
                          const char *tail, uint32_t tail_len, sd_exchange_result *out, sd_response *resp) {
    sd_exchange(h, method, method_len, json, json_len, tail, tail_len, out);
    return out->code == SD_EXCHANGE_DONE && sd_response_parts(h, out->location, resp);
}

/* wasm_free of the response block at `out->location`; 0, with the failure in `out`, when it failed. */
static int sd_release(sd_host *h, sd_exchange_result *out) {
    uint64_t release[4] = {out->location >> 32, 0, out->location & UINT32_MAX, 0};
    return sd_guest(h, h->free_fn, release, 2, out);
}
