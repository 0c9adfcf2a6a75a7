// SPDX-License-Identifier: Apache-2.0
//
// HttpPushPlugin.cpp
//


#include "HttpPushAdapter.h"


namespace {


const xq_config_key KEYS[] = {
	{"url", XQ_CONFIG_STRING, nullptr, "The grader's URL (absolute http or https); every submission is POSTed there."},
	{"timeout", XQ_CONFIG_SECONDS, "30", "Seconds to connect, and for the whole reply (status line, headers, body) however slowly it drips."},
	{"max_reply_bytes", XQ_CONFIG_INT, "1048576", "Largest grader reply accepted; a larger one fails the grading."},
	{"username", XQ_CONFIG_STRING, "", "Optional HTTP Basic user sent to the grader."},
	{"password", XQ_CONFIG_STRING, "", "Password for username."},
	{"tls_verify", XQ_CONFIG_BOOL, "true", "Verify an https grader's certificate and host name against the system CA store; false is logged as a warning at start-up."},
	{"signing_key_file", XQ_CONFIG_STRING, "", "File whose first line is a Standard Webhooks key (whsec_<base64>): every POST is then signed (webhook-id, webhook-timestamp, webhook-signature headers)."},
};


} // namespace


XQ_DECLARE_PLUGIN(XQueuePlugin::HttpPushAdapter, "http_push", "1.0.0", XQ_MODE_DISPATCH,
	"Passive graders: each submission is POSTed to the grader, whose HTTP 200 reply is the grade.", XQ_PLUGIN_KEYS(KEYS))
