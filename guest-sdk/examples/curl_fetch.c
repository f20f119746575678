/*
 * curl_fetch.c -- fetch a URL with the libcurl "easy" API.
 *
 *   curl_fetch [-L] [-f] [-t SECONDS] [-o FILE] URL
 *
 * An ordinary libcurl program: it includes <curl/curl.h> and uses only
 * curl_global_init, curl_easy_init, curl_easy_setopt (CURLOPT_URL,
 * CURLOPT_WRITEFUNCTION, CURLOPT_WRITEDATA, CURLOPT_FOLLOWLOCATION,
 * CURLOPT_MAXREDIRS, CURLOPT_TIMEOUT, CURLOPT_ERRORBUFFER), curl_easy_perform,
 * curl_easy_getinfo(CURLINFO_RESPONSE_CODE), curl_easy_strerror,
 * curl_easy_cleanup and curl_global_cleanup. So it builds unchanged
 *   - against real libcurl:   cc curl_fetch.c -lcurl
 *   - against minicurl:       cc -Iinclude curl_fetch.c minicurl.c
 *   - for wasmaot:            wasmaot-cc -O2 -Iinclude curl_fetch.c minicurl.c -o curl_fetch.wasm
 *
 * The body goes to stdout (or FILE); "response code: N" and the number of
 * bytes received go to stderr. Exit status: 0 on success, otherwise the
 * CURLcode (as the curl tool does: 28 for a timeout, 7 when the connection is
 * refused, 6 when the name does not resolve...); with -f, 22 when the server
 * answered 400 or more.
 *
 * Under wasmaot (see README.md):
 *   wasmaot run --addr-pool=127.0.0.1/32 --allow-resolve=localhost \
 *       curl_fetch.so -L http://localhost:8000/
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

struct sink {
    FILE *out;
    unsigned long long bytes;
};

/* CURLOPT_WRITEFUNCTION: called with each piece of the body. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct sink *sink = userdata;
    size_t n = size * nmemb;
    sink->bytes += n;
    return fwrite(data, 1, n, sink->out); /* less than n aborts the transfer */
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: curl_fetch [-L] [-f] [-t SECONDS] [-o FILE] URL\n"
            "Fetches URL with the libcurl easy API and prints the body.\n"
            "  -L           follow redirects (CURLOPT_FOLLOWLOCATION), at most 10\n"
            "  -f           exit 22 when the HTTP status is 400 or more\n"
            "  -t SECONDS   limit for the whole transfer (CURLOPT_TIMEOUT)\n"
            "  -o FILE      write the body to FILE instead of stdout\n"
            "Exit status: 0, or the CURLcode of the failure.\n");
}

int main(int argc, char **argv)
{
    long follow = 0, timeout = 0;
    int fail_on_error = 0;
    const char *url = NULL, *output = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "-L")) {
            follow = 1;
        } else if (!strcmp(argv[i], "-f")) {
            fail_on_error = 1;
        } else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
            timeout = atol(argv[++i]);
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            output = argv[++i];
        } else if (argv[i][0] != '-' && !url) {
            url = argv[i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!url) {
        usage(stderr);
        return 2;
    }

    struct sink sink = {stdout, 0};
    if (output && !(sink.out = fopen(output, "wb"))) {
        perror(output);
        return 2;
    }

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *curl = curl_easy_init();
    if (!curl) {
        fprintf(stderr, "curl_fetch: curl_easy_init failed\n");
        return 2;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    CURLcode rc = curl_easy_setopt(curl, CURLOPT_URL, url);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, follow);
    if (rc == CURLE_OK && follow)
        rc = curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L); /* a loop ends with error 47 */
    if (rc == CURLE_OK && timeout > 0)
        rc = curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    if (rc != CURLE_OK) {
        fprintf(stderr, "curl_fetch: curl_easy_setopt: %s\n", curl_easy_strerror(rc));
        curl_easy_cleanup(curl);
        return (int)rc;
    }

    rc = curl_easy_perform(curl);

    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    if (fflush(sink.out) != 0 || (output && fclose(sink.out) != 0))
        perror("curl_fetch: output");
    if (rc != CURLE_OK) {
        fprintf(stderr, "curl_fetch: error %d: %s%s%s\n", (int)rc, curl_easy_strerror(rc),
                errbuf[0] ? ": " : "", errbuf);
    } else {
        fprintf(stderr, "response code: %ld\n", code);
        fprintf(stderr, "received %llu bytes\n", sink.bytes);
    }
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    if (rc != CURLE_OK)
        return (int)rc;
    return fail_on_error && code >= 400 ? 22 : 0;
}
