// SPDX-License-Identifier: Apache-2.0
//
// LmsClient.h
//
// Posts one result to an LMS callback URL the way the old server did (form-encoded
// xqueue_header + xqueue_body, python-requests encoding), through the OutboundConnector
// (vetted addresses, verified TLS, timeouts). No redirect is followed, the response is
// read up to 64 KiB within the timeout, the Basic credentials go only to the hosts they
// belong to, and with a signing key every attempt is signed (Standard Webhooks).
//


#ifndef XQueue_LmsClient_INCLUDED
#define XQueue_LmsClient_INCLUDED


#include "delivery/OutboundConnector.h"
#include "xqueue/sdk/WebhookSignature.hpp"
#include <optional>
#include <set>
#include <string>
#include <string_view>


namespace XQueue {


struct DeliveryAttempt
{
	bool delivered = false;  /// the LMS answered exactly HTTP 200
	bool permanent = false;  /// retrying cannot help (malformed or refused callback URL)
	std::string error;       /// why it failed, for logs and the parked reason
};


struct LmsClientOptions
{
	std::string username;            /// HTTP Basic credentials (none if empty)...
	std::string password;
	std::set<std::string> authHosts; /// ...sent only to these origins (Origin::parse: scheme://host:port)
	std::string signingKey;          /// Standard Webhooks key; empty: requests are not signed
};


class LmsClient
{
public:
	LmsClient(const OutboundConnector& connector, int timeoutSeconds, const LmsClientOptions& options);
		/// Throws std::invalid_argument for an unusable signing key.

	DeliveryAttempt post(const std::string& callbackUrl, std::string_view header, std::string_view body,
		const std::string& messageId) const;
		/// messageId is the same for every attempt of one delivery (webhook-id).

	static std::string formEncode(std::string_view header, std::string_view body);
		/// "xqueue_header=...&xqueue_body=..." exactly as python-requests encodes it.

private:
	const OutboundConnector& _connector;
	int _timeoutSeconds;
	LmsClientOptions _options;
	std::optional<xqueue::sdk::WebhookSignature> _signature;
};


} // namespace XQueue


#endif // XQueue_LmsClient_INCLUDED
