//
// LmsClient.h
//
// Posts one result to an LMS callback URL the way the old server did (form-encoded
// xqueue_header + xqueue_body, python-requests encoding), with explicit timeouts,
// no redirects followed, a capped response read, and TLS verified against the system
// CA store.
//


#ifndef XQueue_LmsClient_INCLUDED
#define XQueue_LmsClient_INCLUDED


#include "Poco/Net/Context.h"
#include <string>
#include <string_view>


namespace XQueue {


struct DeliveryAttempt
{
	bool delivered = false;  /// the LMS answered exactly HTTP 200
	bool permanent = false;  /// retrying cannot help (malformed callback URL)
	std::string error;       /// why it failed, for logs and the parked reason
};


class LmsClient
{
public:
	LmsClient(int timeoutSeconds, const std::string& username, const std::string& password);

	DeliveryAttempt post(const std::string& callbackUrl, std::string_view header, std::string_view body) const;

	static std::string formEncode(std::string_view header, std::string_view body);
		/// "xqueue_header=...&xqueue_body=..." exactly as python-requests encodes it.

private:
	int _timeoutSeconds;
	std::string _username;
	std::string _password;
	Poco::Net::Context::Ptr _pTlsContext;
};


} // namespace XQueue


#endif // XQueue_LmsClient_INCLUDED
