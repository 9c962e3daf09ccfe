"""cffi builder of `spacedrive_host_native`: the C half of the host-call fast
path (see trampoline.c and spacedrive_host/runtime/native.py)."""

from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent

# Generated from the schema (`nox -s codegen`): ABI v1's framing constants and error codes.
ABI = (HERE / "sd_abi.h").read_text()

DECLARATIONS = """
typedef struct {
    void *ctx;
    const void *memory;
    const void *alloc;
    const void *handle_fn;
    const void *free_fn;
    void *(*memory_data)(const void *, const void *);
    size_t (*memory_size)(const void *, const void *);
    void *(*call)(void *, const void *, void *, size_t, void **);
    uint64_t max_payload;
    uint32_t live_start;
    uint32_t live_end;
    int in_alloc;
    void *handle;
} sd_host;

typedef struct {
    uint8_t status;
    const char *json;
    uint32_t json_len;
    const char *tail;
    uint32_t tail_len;
} sd_response;

typedef struct {
    int code;
    uint32_t request;
    uint64_t location;
    void *error;
    void *trap;
} sd_exchange_result;

enum {
    SD_EXCHANGE_DONE = 0,
    SD_EXCHANGE_FAILED = 1,
    SD_EXCHANGE_NO_REQUEST = 2,
    SD_EXCHANGE_REQUEST_OUTSIDE = 3
};

enum {
    SD_FAULT_REENTRANT = 1,
    SD_FAULT_ALLOC_FAILED = 2,
    SD_FAULT_OVERLAP = 3,
    SD_FAULT_OUTSIDE = 4,
    SD_FAULT_INTERNAL = 5
};
"""

CALLBACKS = """
static int sd_py_serve(void *handle, const char *method, uint32_t method_len, const char *library,
                       const char *json, uint32_t json_len, const char *tail, uint32_t tail_len,
                       sd_response *out);
static uint32_t sd_py_slow(void *handle, int is_call, uint32_t method_ptr, uint32_t method_len,
                           uint32_t library_ptr, uint32_t payload_ptr, uint32_t payload_len);
static void sd_py_fault(void *handle, int kind, uint64_t a, uint64_t b, uint64_t c);
"""

# What Python calls.
EXPORTS = """
void *sd_callback(int is_call);
void sd_exchange(sd_host *h, const char *method, uint32_t method_len, const char *json, uint32_t json_len,
                 const char *tail, uint32_t tail_len, sd_exchange_result *out);
int sd_call_handle(sd_host *h, const char *method, uint32_t method_len, const char *json, uint32_t json_len,
                   const char *tail, uint32_t tail_len, sd_exchange_result *out, sd_response *resp);
int sd_release(sd_host *h, sd_exchange_result *out);
void sd_set_deadline(const void *set, void *ctx, uint64_t ticks);
"""

# The C sources, in order: the request side, then the response side (which uses its helpers).
SOURCES = ("trampoline.c", "response.c", "deadline.c")

ffibuilder = FFI()
ffibuilder.cdef(ABI + DECLARATIONS + CALLBACKS.replace("static ", 'extern "Python" ') + EXPORTS)
ffibuilder.set_source(
    "spacedrive_host_native",
    ABI + DECLARATIONS + CALLBACKS + "".join((HERE / name).read_text() for name in SOURCES),
    extra_compile_args=["-Wall", "-Wextra", "-Werror"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
