/*
 * minicurl.h -- a small subset of libcurl's "easy" API, for plain http://.
 *
 * Source-compatible with libcurl for what it covers: the names, types and
 * numeric values below are libcurl's (from its public <curl/curl.h>), so a
 * program written against libcurl that sticks to this subset builds against
 * either. The implementation (minicurl.c) is our own: HTTP/1.1 over the BSD
 * socket API, so it runs as a wasm32-wasi guest under wasmaot and natively.
 *
 * Supported:
 *   curl_global_init, curl_global_cleanup
 *   curl_easy_init, curl_easy_cleanup, curl_easy_perform, curl_easy_strerror
 *   curl_easy_setopt: CURLOPT_URL, CURLOPT_WRITEFUNCTION, CURLOPT_WRITEDATA,
 *     CURLOPT_FOLLOWLOCATION, CURLOPT_MAXREDIRS, CURLOPT_TIMEOUT,
 *     CURLOPT_TIMEOUT_MS, CURLOPT_USERAGENT, CURLOPT_ERRORBUFFER;
 *     any other option: CURLE_UNKNOWN_OPTION
 *   curl_easy_getinfo: CURLINFO_RESPONSE_CODE, CURLINFO_EFFECTIVE_URL,
 *     CURLINFO_REDIRECT_COUNT; anything else: CURLE_UNKNOWN_OPTION
 *
 * Not supported: https (CURLE_UNSUPPORTED_PROTOCOL), request bodies,
 * methods other than GET, headers callbacks, multi/share interfaces.
 * A program includes it as <curl/curl.h> through examples/include/ (see
 * README.md), or directly as "minicurl.h".
 */
#ifndef MINICURL_H
#define MINICURL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MINICURL 1
#define LIBCURL_VERSION "minicurl-1.0"

typedef void CURL;

/* Result codes: libcurl's values for the ones we can return. */
typedef enum {
    CURLE_OK = 0,
    CURLE_UNSUPPORTED_PROTOCOL = 1,
    CURLE_FAILED_INIT = 2,
    CURLE_URL_MALFORMAT = 3,
    CURLE_COULDNT_RESOLVE_HOST = 6,
    CURLE_COULDNT_CONNECT = 7,
    CURLE_WEIRD_SERVER_REPLY = 8,
    CURLE_PARTIAL_FILE = 18,
    CURLE_WRITE_ERROR = 23,
    CURLE_OUT_OF_MEMORY = 27,
    CURLE_OPERATION_TIMEDOUT = 28,
    CURLE_BAD_FUNCTION_ARGUMENT = 43,
    CURLE_TOO_MANY_REDIRECTS = 47,
    CURLE_UNKNOWN_OPTION = 48,
    CURLE_GOT_NOTHING = 52,
    CURLE_SEND_ERROR = 55,
    CURLE_RECV_ERROR = 56
} CURLcode;

/* Option numbers are a type base plus an index, as in libcurl. */
#define CURLOPTTYPE_LONG 0
#define CURLOPTTYPE_OBJECTPOINT 10000
#define CURLOPTTYPE_FUNCTIONPOINT 20000
#define CURLOPTTYPE_OFF_T 30000

typedef enum {
    CURLOPT_WRITEDATA = CURLOPTTYPE_OBJECTPOINT + 1,
    CURLOPT_URL = CURLOPTTYPE_OBJECTPOINT + 2,
    CURLOPT_ERRORBUFFER = CURLOPTTYPE_OBJECTPOINT + 10,
    CURLOPT_USERAGENT = CURLOPTTYPE_OBJECTPOINT + 18,
    CURLOPT_WRITEFUNCTION = CURLOPTTYPE_FUNCTIONPOINT + 11,
    CURLOPT_TIMEOUT = CURLOPTTYPE_LONG + 13,
    CURLOPT_FOLLOWLOCATION = CURLOPTTYPE_LONG + 52,
    CURLOPT_MAXREDIRS = CURLOPTTYPE_LONG + 68,
    CURLOPT_TIMEOUT_MS = CURLOPTTYPE_LONG + 155
} CURLoption;

#define CURLOPT_FILE CURLOPT_WRITEDATA /* libcurl's old name */

#define CURLINFO_STRING 0x100000
#define CURLINFO_LONG 0x200000

typedef enum {
    CURLINFO_NONE = 0,
    CURLINFO_EFFECTIVE_URL = CURLINFO_STRING + 1,
    CURLINFO_RESPONSE_CODE = CURLINFO_LONG + 2,
    CURLINFO_REDIRECT_COUNT = CURLINFO_LONG + 20
} CURLINFO;

#define CURL_ERROR_SIZE 256

/* Flags of curl_global_init (accepted and ignored: nothing to set up). */
#define CURL_GLOBAL_SSL (1 << 0)
#define CURL_GLOBAL_WIN32 (1 << 1)
#define CURL_GLOBAL_ALL (CURL_GLOBAL_SSL | CURL_GLOBAL_WIN32)
#define CURL_GLOBAL_NOTHING 0
#define CURL_GLOBAL_DEFAULT CURL_GLOBAL_ALL

/* The body callback: gets size * nmemb bytes (size is always 1); must return
 * the number of bytes it took, anything else stops the transfer with
 * CURLE_WRITE_ERROR. */
typedef size_t (*curl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

CURLcode curl_global_init(long flags);
void curl_global_cleanup(void);

CURL *curl_easy_init(void);
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...);
CURLcode curl_easy_perform(CURL *curl);
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...);
void curl_easy_cleanup(CURL *curl);
const char *curl_easy_strerror(CURLcode code);

#ifdef __cplusplus
}
#endif

#endif /* MINICURL_H */
