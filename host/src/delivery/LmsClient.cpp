//
// LmsClient.cpp
//


#include "delivery/LmsClient.h"
#include "Poco/Net/HTTPBasicCredentials.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/Net/NetException.h"
#include "Poco/Net/RejectCertificateHandler.h"
#include "Poco/Net/SSLManager.h"
#include "Poco/Timespan.h"
#include "Poco/String.h"
#include "Poco/URI.h"
#include <memory>
#include <mutex>


namespace XQueue {


namespace
{
	constexpr std::size_t MAX_RESPONSE_BYTES = 64 * 1024;

	// Every gen-delim and sub-delim, so that only A-Z a-z 0-9 - . _ ~ stay literal.
	const std::string ALL_DELIMITERS = "!#$&'()*+,/:;=?@[]";

	void appendQuotePlus(std::string& out, std::string_view value)
	{
		// Python's urllib.parse.quote_plus, which python-requests uses for form bodies.
		std::string encoded;
		Poco::URI::encode(std::string(value), ALL_DELIMITERS, encoded);
		Poco::replaceInPlace(encoded, std::string("%20"), std::string("+"));
		out += encoded;
	}
}


LmsClient::LmsClient(int timeoutSeconds, const std::string& username, const std::string& password):
	_timeoutSeconds(timeoutSeconds),
	_username(username),
	_password(password)
{
	// Certificates and host names are verified against the system CA store.
	_pTlsContext = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
		Poco::Net::Context::VERIFY_RELAXED, 9, true);
	_pTlsContext->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
	// An invalid certificate is refused, never handed to Poco's default console prompt.
	static std::once_flag sslInitialized;
	std::call_once(sslInitialized, [this]() {
		Poco::Net::initializeSSL();
		Poco::Net::SSLManager::instance().initializeClient(nullptr,
			new Poco::Net::RejectCertificateHandler(false), _pTlsContext);
	});
}


std::string LmsClient::formEncode(std::string_view header, std::string_view body)
{
	std::string out = "xqueue_header=";
	appendQuotePlus(out, header);
	out += "&xqueue_body=";
	appendQuotePlus(out, body);
	return out;
}


DeliveryAttempt LmsClient::post(const std::string& callbackUrl, std::string_view header, std::string_view body) const
{
	DeliveryAttempt attempt;
	Poco::URI uri;
	try
	{
		uri = Poco::URI(callbackUrl);
	}
	catch (Poco::Exception&)
	{
		attempt.permanent = true;
		attempt.error = "callback URL is not a valid URL";
		return attempt;
	}
	const std::string scheme = uri.getScheme();
	if ((scheme != "http" && scheme != "https") || uri.getHost().empty())
	{
		attempt.permanent = true;
		attempt.error = "callback URL is not an absolute http(s) URL";
		return attempt;
	}
	try
	{
		std::unique_ptr<Poco::Net::HTTPClientSession> pSession;
		if (scheme == "https")
			pSession = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), _pTlsContext);
		else
			pSession = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
		pSession->setTimeout(Poco::Timespan(_timeoutSeconds, 0));
		std::string target = uri.getPathEtc();
		if (target.empty() || target[0] != '/') target = "/" + target;
		auto fragment = target.find('#');
		if (fragment != std::string::npos) target.erase(fragment);

		std::string payload = formEncode(header, body);
		Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target, Poco::Net::HTTPMessage::HTTP_1_1);
		request.setContentType("application/x-www-form-urlencoded");
		request.setContentLength(static_cast<std::streamsize>(payload.size()));
		request.set("User-Agent", "xqueue-cpp");
		request.set("Accept", "*/*");
		if (!_username.empty())
		{
			Poco::Net::HTTPBasicCredentials credentials(_username, _password);
			credentials.authenticate(request);
		}
		std::ostream& requestBody = pSession->sendRequest(request);
		requestBody.write(payload.data(), static_cast<std::streamsize>(payload.size()));

		Poco::Net::HTTPResponse response;
		std::istream& responseBody = pSession->receiveResponse(response);
		char buffer[4096];
		std::size_t total = 0;
		while (total < MAX_RESPONSE_BYTES && responseBody.read(buffer, sizeof(buffer)).gcount() > 0)
			total += static_cast<std::size_t>(responseBody.gcount());

		if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK)
		{
			attempt.delivered = true;
		}
		else
		{
			attempt.error = "LMS answered HTTP " + std::to_string(static_cast<int>(response.getStatus()));
		}
	}
	catch (Poco::Exception& exc)
	{
		attempt.error = exc.displayText();
	}
	catch (std::exception& exc)
	{
		attempt.error = exc.what();
	}
	return attempt;
}


} // namespace XQueue
