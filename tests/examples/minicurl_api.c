/*
 * minicurl_api.c -- checks minicurl's API surface (tests/examples).
 *
 * Prints the numeric values of every libcurl name minicurl defines, one
 * "NAME VALUE" line each; the test driver compares these lines with the same
 * program built against the real <curl/curl.h> when libcurl is installed.
 * Built against minicurl (MINICURL defined) it also checks the error paths:
 * unknown options and info codes, bad arguments, no URL, other schemes.
 * Exit status 0 when every check passed.
 */
#include <stdio.h>
#include <curl/curl.h>

#define SHOW(name) printf("%s %ld\n", #name, (long)(name))

static int failures;

static void expect(const char *what, long got, long want)
{
    if (got != want) {
        fprintf(stderr, "FAIL: %s: got %ld, want %ld\n", what, got, want);
        failures++;
    }
}

int main(void)
{
    SHOW(CURLE_OK);
    SHOW(CURLE_UNSUPPORTED_PROTOCOL);
    SHOW(CURLE_FAILED_INIT);
    SHOW(CURLE_URL_MALFORMAT);
    SHOW(CURLE_COULDNT_RESOLVE_HOST);
    SHOW(CURLE_COULDNT_CONNECT);
    SHOW(CURLE_WEIRD_SERVER_REPLY);
    SHOW(CURLE_PARTIAL_FILE);
    SHOW(CURLE_WRITE_ERROR);
    SHOW(CURLE_OUT_OF_MEMORY);
    SHOW(CURLE_OPERATION_TIMEDOUT);
    SHOW(CURLE_BAD_FUNCTION_ARGUMENT);
    SHOW(CURLE_TOO_MANY_REDIRECTS);
    SHOW(CURLE_UNKNOWN_OPTION);
    SHOW(CURLE_GOT_NOTHING);
    SHOW(CURLE_SEND_ERROR);
    SHOW(CURLE_RECV_ERROR);
    SHOW(CURLOPT_WRITEDATA);
    SHOW(CURLOPT_FILE);
    SHOW(CURLOPT_URL);
    SHOW(CURLOPT_ERRORBUFFER);
    SHOW(CURLOPT_USERAGENT);
    SHOW(CURLOPT_WRITEFUNCTION);
    SHOW(CURLOPT_TIMEOUT);
    SHOW(CURLOPT_FOLLOWLOCATION);
    SHOW(CURLOPT_MAXREDIRS);
    SHOW(CURLOPT_TIMEOUT_MS);
    SHOW(CURLINFO_EFFECTIVE_URL);
    SHOW(CURLINFO_RESPONSE_CODE);
    SHOW(CURLINFO_REDIRECT_COUNT);
    SHOW(CURL_ERROR_SIZE);
    SHOW(CURL_GLOBAL_DEFAULT);
    SHOW(CURL_GLOBAL_ALL);

    CURL *c = curl_easy_init();
    expect("curl_easy_init", c != NULL, 1);
    expect("perform without URL", curl_easy_perform(c), CURLE_URL_MALFORMAT);
#ifdef MINICURL
    long l = -1;
    char *s = NULL;
    expect("unsupported option (CURLOPT_VERBOSE)", curl_easy_setopt(c, (CURLoption)41, 1L), CURLE_UNKNOWN_OPTION);
    expect("unknown option number", curl_easy_setopt(c, (CURLoption)99999, 1L), CURLE_UNKNOWN_OPTION);
    expect("unknown info", curl_easy_getinfo(c, (CURLINFO)(CURLINFO_LONG + 99), &l), CURLE_UNKNOWN_OPTION);
    expect("negative timeout", curl_easy_setopt(c, CURLOPT_TIMEOUT, -1L), CURLE_BAD_FUNCTION_ARGUMENT);
    expect("set URL", curl_easy_setopt(c, CURLOPT_URL, "ftp://127.0.0.1/"), CURLE_OK);
    expect("ftp://", curl_easy_perform(c), CURLE_UNSUPPORTED_PROTOCOL);
    expect("set bad URL", curl_easy_setopt(c, CURLOPT_URL, "http://[::1/"), CURLE_OK);
    expect("malformed URL", curl_easy_perform(c), CURLE_URL_MALFORMAT);
    expect("response code before any answer", curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &l), CURLE_OK);
    expect("response code value", l, 0);
    expect("effective URL", curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK && s, 1);
    expect("strerror(28)", curl_easy_strerror(CURLE_OPERATION_TIMEDOUT) != NULL, 1);
    expect("strerror(unknown)", curl_easy_strerror((CURLcode)9999) != NULL, 1);
#endif
    curl_easy_cleanup(c);
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    return failures != 0;
}
