// SPDX-License-Identifier: Apache-2.0
//
// HttpPushAdapter.h
//
// http_push: passive graders. Each submission is POSTed to the grader's URL as the old
// xqueue did ({"xqueue_body": ..., "xqueue_files": ...}, no Content-Type); an HTTP 200
// whose body is a JSON object is the grade. HTTPS is verified against the system CA
// store unless tls_verify = false; with signing_key_file every POST is signed the
// Standard Webhooks way. The whole reply must arrive within the timeout.
//


#ifndef XQueuePlugin_HttpPushAdapter_INCLUDED
#define XQueuePlugin_HttpPushAdapter_INCLUDED


#include "xqueue/sdk/Plugin.hpp"
#include "xqueue/sdk/WebhookSignature.hpp"
#include "Poco/Net/Context.h"
#include "Poco/URI.h"
#include <atomic>
#include <optional>
#include <string>


namespace XQueuePlugin {


struct PushOutcome
{
	bool graded = false;
	std::string body; /// the grade, or why there is none
};


class HttpPushAdapter: public xqueue::sdk::GraderAdapter
{
public:
	explicit HttpPushAdapter(const xqueue::sdk::QueueHost& queue);
		/// Reads url, timeout, max_reply_bytes, username, password, tls_verify,
		/// signing_key_file. Throws std::invalid_argument for a URL that is not absolute
		/// http(s), an unreadable key file or an unusable key.

	void grade(const xqueue::sdk::Job& job, xqueue::sdk::Completion done) override;

	PushOutcome push(const std::string& body, const std::string& files) const;
		/// One POST to the grader; never throws.

	static std::string readSigningKey(const std::string& path);

	static std::string requestBody(const std::string& body, const std::string& files);

private:
	Poco::URI _url;
	double _timeout;
	std::size_t _maxReplyBytes;
	std::string _username;
	std::string _password;
	Poco::Net::Context::Ptr _pTlsContext;
	std::optional<xqueue::sdk::WebhookSignature> _signature;
	mutable std::atomic<unsigned long long> _messages{0};
};


} // namespace XQueuePlugin


#endif // XQueuePlugin_HttpPushAdapter_INCLUDED
