/*
 * <curl/curl.h> for programs built against minicurl instead of libcurl:
 * compile with -I guest-sdk/examples/include and link minicurl.c, and a
 * libcurl program that uses only minicurl's subset builds unchanged
 * (see ../../minicurl.h and ../../README.md).
 */
#include "../../minicurl.h"
