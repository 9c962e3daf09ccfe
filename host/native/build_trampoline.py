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

/* component.c: one component instance's call path. */
typedef struct {
    const void *func_call; /* wasmtime_component_func_call */
    const void *val_delete; /* wasmtime_component_val_delete */
    const void *val_new; /* wasmtime_component_val_new */
    const void *name_new; /* wasm_byte_vec_new_uninitialized */
    const void *record_new; /* wasmtime_component_valrecord_new_uninit */
    const void *error_new; /* wasmtime_error_new */
} sd_wasmtime;

typedef struct {
    const void *api; /* an sd_wasmtime */
    void *handle; /* the Python owner (a cffi handle) */
    uint8_t *buf; /* decoded tails: the export's answer, an import's request */
    size_t buf_cap;
    uint8_t *out; /* the export's tail parameter as octets */
    size_t out_cap;
    uint64_t result[4]; /* the export's answer (a wasmtime_component_val_t) until released */
    int has_result;
} sd_component;

/* What sd_component_handle found: pointers into the answer, valid until sd_component_release. */
typedef struct {
    void *error; /* wasmtime_error_t*, the caller's, when the call failed */
    const char *a; /* ok: json; err: code */
    size_t a_len;
    const char *b; /* ok: the tail's bytes; err: message */
    size_t b_len;
} sd_component_answer;

/* What Python answers an import with: ok (json, tail bytes) or a failure (code, message). */
typedef struct {
    int ok;
    const char *a;
    size_t a_len;
    const char *b;
    size_t b_len;
} sd_component_reply;

enum {
    SD_ANSWER_FAILED = 0,
    SD_ANSWER_OK = 1,
    SD_ANSWER_ERR = 2,
    SD_ANSWER_NOT_A_MESSAGE = 3,
    SD_ANSWER_TAIL_NOT_OCTETS = 4,
    SD_ANSWER_NO_MEMORY = 5
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
static void sd_py_component_serve(void *handle, int is_call, const char *method, size_t method_len,
                                  const char *library, size_t library_len, const char *json, size_t json_len,
                                  const char *tail, size_t tail_len, int tail_ok, sd_component_reply *out);
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
void sd_component_init(void);
size_t sd_component_layout(int which);
void *sd_component_callback(int is_call);
int sd_component_handle(sd_component *c, const void *func, void *ctx, const char *method, size_t method_len,
                        const char *library, size_t library_len, const char *json, size_t json_len,
                        const char *tail, size_t tail_len, sd_component_answer *out);
void sd_component_release(sd_component *c);
void sd_component_free(sd_component *c);
size_t sd_octets_encoded_size(const char *data, size_t n);
void sd_octets_encode(const char *data, size_t n, char *out);
long long sd_octets_decode(const char *s, size_t n, char *out);
"""

# The C sources, in order: the request side, then the response side (which uses its helpers),
# then the component call path.
SOURCES = ("trampoline.c", "response.c", "deadline.c", "component.c")

ffibuilder = FFI()
ffibuilder.cdef(ABI + DECLARATIONS + CALLBACKS.replace("static ", 'extern "Python" ') + EXPORTS)
ffibuilder.set_source(
    "spacedrive_host_native",
    ABI + DECLARATIONS + CALLBACKS + "".join((HERE / name).read_text() for name in SOURCES),
    extra_compile_args=["-Wall", "-Wextra", "-Werror"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
