// SPDX-License-Identifier: Apache-2.0
//
// OutboundConnector.h
//
// Opens the HTTP(S) connections the host makes to URLs a client named (LMS callbacks),
// so that such a URL cannot turn the host against its own network (SSRF):
//   - the host name is resolved once, every address is vetted, and the connection goes
//     to a vetted address (a DNS answer that changes between check and connect cannot
//     slip a private address in);
//   - special-purpose addresses (loopback, RFC 1918, link-local incl. cloud metadata,
//     CGNAT, unique-local, multicast, documentation, IPv4 inside IPv6...) are refused
//     unless xqueue.outbound.allow_addresses names them, or the host is one an operator
//     registered as an LMS (a callback prefix of an account: CallbackHosts);
//   - TLS certificates and host names are verified against the system CA store (SNI and
//     the name check use the URL's host, not the address), TLS 1.2 at least; hosts in
//     xqueue.outbound.insecure_tls_hosts skip the check, loudly.
//


#ifndef XQueue_OutboundConnector_INCLUDED
#define XQueue_OutboundConnector_INCLUDED


#include "util/AddressPrefixList.h"
#include "util/SocketDeadlines.h"
#include "Poco/Logger.h"
#include "Poco/Net/Context.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/URI.h"
#include "Poco/Timestamp.h"
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>


namespace XQueue {


class OutboundConnector
{
public:
	OutboundConnector(const std::string& allowAddresses, const std::string& insecureTlsHosts, int timeoutSeconds);
	~OutboundConnector();
		/// allowAddresses: CIDR prefixes of special-purpose addresses that may be reached
		/// anyway; insecureTlsHosts: comma-separated host names whose certificates are
		/// not verified. Throws Poco::InvalidArgumentException for a malformed list.

	using RegisteredHosts = std::function<bool(const std::string& host)>;

	void setRegisteredHosts(RegisteredHosts registered);
		/// Hosts whose every address may be reached (the operator named them as LMSs).
		/// Set before the first call.

	std::optional<std::string> refusal(const std::string& url, bool registered) const;
		/// Why a callback to url would be refused (malformed, user information, only
		/// special-purpose addresses), or nothing: checked at submit, so that the LMS
		/// learns at once instead of its student waiting for a grade that is never
		/// delivered. registered: the submitting account's prefixes name the host (then
		/// only the URL's form is checked). A name that does not resolve now is not a
		/// refusal (delivery retries it). A host's answer is kept for 30 s (5 s when it did
		/// not resolve), so that submits do not resolve each time or wait on a hung resolver.

	static Poco::URI parse(const std::string& url);
		/// The URL if it is an absolute http or https URL with a host and without user
		/// information, made only of characters RFC 3986 allows; else throws
		/// DestinationRefusedException saying why.

	std::vector<Poco::Net::SocketAddress> vet(const Poco::URI& uri, bool registered = false) const;
		/// The addresses of the URL's host that may be reached, in resolver order (all
		/// of them for a registered host).
		/// Throws DestinationRefusedException when there is none, and Poco's resolver
		/// exceptions (worth a retry) when the name does not resolve now.

	std::unique_ptr<Poco::Net::HTTPClientSession> connect(const Poco::URI& uri) const;
		/// A session connected (TLS handshake done) to the first vetted address that
		/// answers, its socket timeouts set. The caller sets the request's Host header
		/// (hostHeader()).

	class ExchangeDeadline;
		/// While it lives, the session's socket is shut down at the deadline: one bound on
		/// the whole exchange (request, status line, headers, body), which per-read socket
		/// timeouts are not (a peer dripping a byte a second never trips them).

	static std::string hostHeader(const Poco::URI& uri);

	bool isAllowed(const Poco::Net::IPAddress& address) const;
		/// False for special-purpose addresses not named in allowAddresses.

	static bool isSpecialPurpose(const Poco::Net::IPAddress& address);

	const std::set<std::string>& insecureTlsHosts() const;

private:
	AddressPrefixList _allowed;
	std::set<std::string> _insecureTlsHosts;
	Poco::Timespan _timeout;
	Poco::Net::Context::Ptr _pVerifyingContext;
	Poco::Net::Context::Ptr _pInsecureContext;
	struct Verdict
	{
		std::optional<std::string> refusal;
		Poco::Timestamp expires;
	};

	static constexpr Poco::Timestamp::TimeDiff VERDICT_LIFETIME = 30 * 1000 * 1000;   /// a host's refusal() answer is kept
	static constexpr Poco::Timestamp::TimeDiff UNRESOLVED_LIFETIME = 5 * 1000 * 1000; /// a host that did not resolve is let through
	static constexpr std::size_t MAX_VERDICTS = 1000;

	mutable SocketDeadlines _deadlines; /// ExchangeDeadline's watchdog

	Poco::Logger& _logger;
	RegisteredHosts _registered;
	mutable std::mutex _verdictsMutex;
	mutable std::map<std::string, Verdict> _verdicts; /// by lowercase host name
};


class OutboundConnector::ExchangeDeadline
{
public:
	ExchangeDeadline(const OutboundConnector& connector, Poco::Net::HTTPClientSession& session, Micros deadline);
	~ExchangeDeadline();

	ExchangeDeadline(const ExchangeDeadline&) = delete;
	ExchangeDeadline& operator=(const ExchangeDeadline&) = delete;

private:
	const OutboundConnector& _connector;
	SocketDeadlines::Id _id;
};


} // namespace XQueue


#endif // XQueue_OutboundConnector_INCLUDED
