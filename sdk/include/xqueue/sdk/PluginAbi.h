/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PluginAbi.h
 *
 * The binary boundary between the xqueue host and a grader-adapter plugin. Pure C, no
 * dependencies beyond <stddef.h> and <stdint.h>: nothing that crosses it depends on the
 * compiler, its flags or the standard library.
 *
 * COMPATIBILITY POLICY
 *   XQ_ABI_MAJOR changes when anything existing changes meaning, layout or signature.
 *   The host refuses to load a plugin whose major differs from its own.
 *   XQ_ABI_MINOR changes when something is appended: new fields go at the end of a
 *   struct (whose first field is always struct_size), new functions at the end of a
 *   table. A reader checks struct_size before touching a field newer than it knows,
 *   so a plugin built against minor N loads in a host of minor M (either way round).
 *   What a reader requires is the size the struct had in 1.0 (XQ_*_1_0_SIZE below,
 *   frozen), never the size in the header it was built with: that grows with each
 *   minor, and requiring it would refuse every plugin built before.
 *
 * OWNERSHIP (who allocates frees)
 *   - xq_str views are valid only for the duration of the call that passes them,
 *     unless stated otherwise; copy what you keep.
 *   - The descriptor returned by xq_plugin_entry, and everything it points to, is owned
 *     by the plugin and must stay valid until the library is unloaded (static data).
 *   - An instance made by create() is owned by the plugin and freed only by destroy().
 *   - Error messages are written by the plugin into the host's buffer (error, error_size),
 *     NUL-terminated and truncated to fit.
 *
 * LIFETIME
 *   The host loads every plugin at start-up, calls xq_plugin_entry once, calls create()
 *   once per queue bound to the plugin, and at shutdown calls destroy() for every
 *   instance before it unloads the library. Nothing made by the plugin outlives
 *   destroy(); the host never unloads a library while an instance of it exists.
 *
 * THREADING
 *   xq_plugin_entry, create() and destroy() are called from the host's main thread.
 *   grade() is called from host worker threads, concurrently for different jobs of the
 *   same instance (up to the queue's configured concurrency). complete() may be called
 *   from any thread, exactly once per job, during or after grade(), but not after
 *   destroy() has returned. Host API functions may be called from any thread.
 *
 * ERRORS
 *   No exception, no RTTI, no C++ object crosses this boundary. Functions report
 *   failure with XQ_ERROR and a message.
 */

#ifndef XQUEUE_SDK_PLUGIN_ABI_H
#define XQUEUE_SDK_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#define XQ_ABI_MAJOR 1
#define XQ_ABI_MINOR 1

/* The one symbol a plugin exports. */
#define XQ_ENTRY_SYMBOL "xq_plugin_entry"

#if defined(_WIN32)
#define XQ_EXPORT __declspec(dllexport)
#else
#define XQ_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A byte string: pointer + length, not NUL-terminated. */
typedef struct xq_str
{
	const char* data;
	size_t size;
} xq_str;

/* Status codes. */
#define XQ_OK 0
#define XQ_ERROR 1

/* Log levels (syslog numbering). */
#define XQ_LOG_ERROR 3
#define XQ_LOG_WARNING 4
#define XQ_LOG_INFO 6
#define XQ_LOG_DEBUG 7

/* Configuration value types; the host validates values before create(). */
#define XQ_CONFIG_STRING 0  /* any text */
#define XQ_CONFIG_INT 1     /* a decimal integer */
#define XQ_CONFIG_BOOL 2    /* true/false/yes/no/on/off/1/0 */
#define XQ_CONFIG_SECONDS 3 /* a non-negative decimal number */

/* Adapter modes. */
#define XQ_MODE_PULL 0     /* graders pull over HTTP; the host serves get_submission/put_result */
#define XQ_MODE_DISPATCH 1 /* the host hands each submission to grade() */

/* Outcomes passed to complete(). */
#define XQ_GRADED 0 /* body is the grade, delivered to the LMS as it is */
#define XQ_FAILED 1 /* could not grade; body is the reason (logged, never shown to students) */
/* Could not grade, and trying again cannot help (a course team's configuration mistake, a
 * submission the grader can never read): the LMS gets the failure notice at once instead
 * of after every retry. Since ABI 1.1; a 1.0 host takes it for XQ_FAILED. */
#define XQ_FAILED_PERMANENTLY 2

/* One configuration key the plugin accepts under xqueue.queues.<queue>.<key>. */
typedef struct xq_config_key
{
	const char* key;
	int32_t type;              /* XQ_CONFIG_* */
	const char* default_value; /* NULL: the key is required */
	const char* help;
} xq_config_key;

/* What the host offers every plugin. Valid from xq_plugin_entry until unload. */
typedef struct xq_host_api
{
	uint32_t struct_size;
	uint16_t abi_major;
	uint16_t abi_minor;
	void* host;
	void (*log)(void* host, int32_t level, xq_str message);
	int64_t (*now_micros)(void* host);                      /* wall clock, UTC, microseconds */
	void (*count)(void* host, xq_str counter, int64_t delta); /* add to a named counter */
} xq_host_api;

/* What the host offers one queue's instance. Valid from create() until destroy() returns. */
typedef struct xq_queue_host
{
	uint32_t struct_size;
	void* queue;
	xq_str queue_name;
	/* The validated value of a declared key (its default if not configured); returns 1,
	 * or 0 for an undeclared key. The value stays valid until destroy() returns. */
	int32_t (*config_get)(void* queue, xq_str key, xq_str* value);
	/* Hands back the result of a job: exactly once per job, from any thread. */
	void (*complete)(void* queue, uint64_t job_id, int32_t outcome, xq_str body);
} xq_queue_host;

/* One submission to grade (dispatch mode). Valid for the duration of grade(). */
typedef struct xq_job
{
	uint32_t struct_size;
	uint64_t job_id;        /* pass to complete() */
	int64_t submission_id;
	xq_str body;            /* the LMS's xqueue_body, verbatim */
	xq_str files;           /* JSON text of {field name: URL}, "{}" when none */
	int64_t deadline_micros; /* the time budget ends here; a later result is dropped */
} xq_job;

/* The plugin's function table. */
typedef struct xq_plugin_api
{
	uint32_t struct_size;
	/* Makes the instance for one queue. On failure writes a message and returns XQ_ERROR. */
	int32_t (*create)(const xq_queue_host* queue, void** instance, char* error, size_t error_size);
	/* Frees the instance; no complete() may follow. */
	void (*destroy)(void* instance);
	/* Starts grading a job (dispatch mode; NULL in pull mode). The result comes through
	 * complete(), before or after grade() returns. XQ_ERROR = the job was not started
	 * (complete() must then not be called for it). */
	int32_t (*grade)(void* instance, const xq_job* job, char* error, size_t error_size);
} xq_plugin_api;

/* What xq_plugin_entry returns. */
typedef struct xq_plugin_descriptor
{
	uint32_t struct_size;
	uint16_t abi_major;
	uint16_t abi_minor;
	const char* id;          /* the name operators write in xqueue.queues.<q>.plugin */
	const char* version;     /* the plugin's own semantic version */
	const char* description;
	int32_t mode;            /* XQ_MODE_* */
	const xq_config_key* config_keys;
	uint32_t config_key_count;
	const xq_plugin_api* api;
} xq_plugin_descriptor;

/* The entry point. Returns the descriptor, or NULL if the plugin cannot initialise. */
typedef const xq_plugin_descriptor* (*xq_plugin_entry_fn)(const xq_host_api* host);

/* The sizes of ABI 1.0's structs, up to the end of their last 1.0 field. Frozen: every
 * 1.x struct is at least this large, and a reader needs no more (see the policy). */
#define XQ_HOST_API_1_0_SIZE (offsetof(xq_host_api, count) + sizeof(void (*)(void*, xq_str, int64_t)))
#define XQ_QUEUE_HOST_1_0_SIZE (offsetof(xq_queue_host, complete) + sizeof(void (*)(void*, uint64_t, int32_t, xq_str)))
#define XQ_JOB_1_0_SIZE (offsetof(xq_job, deadline_micros) + sizeof(int64_t))
#define XQ_PLUGIN_API_1_0_SIZE (offsetof(xq_plugin_api, grade) + sizeof(int32_t (*)(void*, const xq_job*, char*, size_t)))
#define XQ_PLUGIN_DESCRIPTOR_1_0_SIZE (offsetof(xq_plugin_descriptor, api) + sizeof(const xq_plugin_api*))

#ifdef __cplusplus
}
#endif

#endif /* XQUEUE_SDK_PLUGIN_ABI_H */
