/* The epoch deadline set before every entry into the guest, as a direct cffi
 * call (`native.deadline_setter`): cheaper than a ctypes foreign call, and
 * made on every plugin call. `set` is wasmtime's
 * `wasmtime_context_set_epoch_deadline`. */

static void sd_set_deadline(const void *set, void *ctx, uint64_t ticks) {
    ((void (*)(void *, uint64_t))set)(ctx, ticks);
}
