// SPDX-License-Identifier: Apache-2.0
//
// OutboundConnector.cpp
//


#include "delivery/OutboundConnector.h"
#include "util/CloseOnExec.h"
#include "delivery/DestinationRefusedException.h"
#include "metrics/Metrics.h"
#include "xqueue/sdk/UriText.hpp"
#include "Poco/Net/DNS.h"
#include "Poco/Net/HostEntry.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/Net/NetException.h"
#include "Poco/Net/RejectCertificateHandler.h"
#include "Poco/Net/SecureStreamSocket.h"
#include "Poco/Net/SSLManager.h"
#include "Poco/Net/StreamSocket.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"
#include <mutex>


namespace XQueue {


namespace
{
	// IANA special-purpose registries (RFC 6890 and successors): nothing an LMS on the
	// Internet lives at. IPv4 seen as IPv6 (::ffff:0:0/96) is matched as IPv4 by
	// AddressPrefixList; the other IPv6 forms that carry an IPv4 address (IPv4-compatible,
	// NAT64, 6to4, Teredo) are refused outright. "::1/96" stands for ::/96 (unspecified
	// and IPv4-compatible): Poco 1.11 cannot parse the address "::" itself.
	const AddressPrefixList& specialPurposeAddresses()
	{
		static const AddressPrefixList LIST(
			"0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12,"
			"192.0.0.0/24, 192.0.2.0/24, 192.88.99.0/24, 192.168.0.0/16, 198.18.0.0/15,"
			"198.51.100.0/24, 203.0.113.0/24, 224.0.0.0/4, 240.0.0.0/4,"
			"::1/96, 64:ff9b::/96, 64:ff9b:1::/48, 100::/64, 2001::/23, 2001:db8::/32,"
			"2002::/16, fc00::/7, fe80::/10, fec0::/10, ff00::/8");
		return LIST;
	}

	Poco::Net::Context::Ptr makeClientContext(bool verify)
	{
		Poco::Net::Context::Ptr pContext = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
			verify ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE, 9, verify);
		pContext->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
		if (!verify) pContext->enableExtendedCertificateVerification(false);
		return pContext;
	}
}


OutboundConnector::OutboundConnector(const std::string& allowAddresses, const std::string& insecureTlsHosts, int timeoutSeconds):
	_allowed(allowAddresses),
	_timeout(timeoutSeconds, 0),
	_deadlines([]() { Metrics::instance().add("xqueue_outbound_deadlines_total", {}); }),
	_logger(Poco::Logger::get("xqueue.outbound"))
{
	Poco::StringTokenizer hosts(insecureTlsHosts, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& host: hosts) _insecureTlsHosts.insert(Poco::toLower(host));
	// An invalid certificate is refused, never handed to Poco's default console prompt.
	static std::once_flag sslInitialized;
	std::call_once(sslInitialized, []() {
		Poco::Net::initializeSSL();
		Poco::Net::SSLManager::instance().initializeClient(nullptr,
			new Poco::Net::RejectCertificateHandler(false), makeClientContext(true));
	});
	_pVerifyingContext = makeClientContext(true);
	if (!_insecureTlsHosts.empty()) _pInsecureContext = makeClientContext(false);
	_deadlines.start();
}


namespace
{
	// Poco 1.11 connects an HTTPS session (and shakes hands) only when the first request
	// is sent; connecting first lets the exchange's deadline watch the socket from there.
	class ConnectingHttpsSession: public Poco::Net::HTTPSClientSession
	{
	public:
		using HTTPSClientSession::HTTPSClientSession;

		void connectNow()
		{
			reconnect();
		}
	};
}


OutboundConnector::~OutboundConnector()
{
	_deadlines.stop();
}


OutboundConnector::ExchangeDeadline::ExchangeDeadline(const OutboundConnector& connector, Poco::Net::HTTPClientSession& session,
	Micros deadline):
	_connector(connector),
	_id(connector._deadlines.add(session.socket().impl()->sockfd(), deadline))
{
}


OutboundConnector::ExchangeDeadline::~ExchangeDeadline()
{
	if (_id) _connector._deadlines.remove(_id);
}


Poco::URI OutboundConnector::parse(const std::string& url)
{
	if (!xqueue::sdk::isUriText(url))
		throw DestinationRefusedException("URL contains characters not allowed in a URL (RFC 3986)");
	Poco::URI uri;
	try
	{
		uri = Poco::URI(url);
	}
	catch (Poco::Exception&)
	{
		throw DestinationRefusedException("not a valid URL");
	}
	const std::string& scheme = uri.getScheme();
	if ((scheme != "http" && scheme != "https") || uri.getHost().empty())
		throw DestinationRefusedException("not an absolute http(s) URL");
	// user:password@ in a callback URL is how SSRF payloads disguise their real host.
	if (!uri.getUserInfo().empty())
		throw DestinationRefusedException("URL carries user information");
	return uri;
}


bool OutboundConnector::isSpecialPurpose(const Poco::Net::IPAddress& address)
{
	return specialPurposeAddresses().contains(address);
}


bool OutboundConnector::isAllowed(const Poco::Net::IPAddress& address) const
{
	return !isSpecialPurpose(address) || _allowed.contains(address);
}


void OutboundConnector::setRegisteredHosts(RegisteredHosts registered)
{
	_registered = std::move(registered);
}


std::optional<std::string> OutboundConnector::refusal(const std::string& url, bool registered) const
{
	Poco::URI uri;
	try
	{
		uri = parse(url);
	}
	catch (DestinationRefusedException& exc)
	{
		return exc.message();
	}
	if (registered) return std::nullopt; // every address of the host may be reached
	// The LMS names the same host in every submit: its verdict is kept for a while, so
	// that submits neither resolve each time nor wait on a resolver that hangs.
	const std::string host = Poco::toLower(uri.getHost());
	const Poco::Timestamp now;
	{
		std::lock_guard<std::mutex> lock(_verdictsMutex);
		auto it = _verdicts.find(host);
		if (it != _verdicts.end() && it->second.expires > now) return it->second.refusal;
	}
	Verdict verdict;
	try
	{
		vet(uri);
		verdict.expires = now + VERDICT_LIFETIME;
	}
	catch (DestinationRefusedException& exc)
	{
		verdict.refusal = exc.message();
		verdict.expires = now + VERDICT_LIFETIME;
	}
	catch (Poco::Exception&)
	{
		// The name does not resolve now: a DNS matter, not a rule. Delivery retries it
		// (a service name in a cluster may exist only moments later).
		verdict.expires = now + UNRESOLVED_LIFETIME;
	}
	std::lock_guard<std::mutex> lock(_verdictsMutex);
	if (_verdicts.size() >= MAX_VERDICTS) _verdicts.clear();
	_verdicts[host] = verdict;
	return verdict.refusal;
}


std::vector<Poco::Net::SocketAddress> OutboundConnector::vet(const Poco::URI& uri, bool registered) const
{
	if (!registered && _registered) registered = _registered(uri.getHost());
	std::vector<Poco::Net::IPAddress> candidates;
	Poco::Net::IPAddress literal;
	if (Poco::Net::IPAddress::tryParse(uri.getHost(), literal))
		candidates.push_back(literal);
	else
		candidates = Poco::Net::DNS::resolve(uri.getHost()).addresses();

	std::vector<Poco::Net::SocketAddress> vetted;
	std::string refused;
	for (const auto& address: candidates)
	{
		if (registered || isAllowed(address))
			vetted.emplace_back(address, uri.getPort());
		else
			refused += (refused.empty() ? "" : ", ") + address.toString();
	}
	if (vetted.empty())
		throw DestinationRefusedException(uri.getHost() + " is a special-purpose address (" + refused +
			"); outbound calls reach such addresses only if xqueue.outbound.allow_addresses names them"
			" or a callback prefix of an account names the host (xqueue-admin user callbacks)");
	return vetted;
}


std::string OutboundConnector::hostHeader(const Poco::URI& uri)
{
	std::string host = uri.getHost();
	if (host.find(':') != std::string::npos) host = "[" + host + "]";
	const unsigned short defaultPort = uri.getScheme() == "https" ? 443 : 80;
	if (uri.getPort() != defaultPort) host += ":" + std::to_string(uri.getPort());
	return host;
}


std::unique_ptr<Poco::Net::HTTPClientSession> OutboundConnector::connect(const Poco::URI& uri) const
{
	std::vector<Poco::Net::SocketAddress> addresses = vet(uri);
	const bool tls = uri.getScheme() == "https";
	const bool insecure = tls && _insecureTlsHosts.count(Poco::toLower(uri.getHost())) > 0;
	if (insecure)
		_logger.warning("TLS certificate of %s NOT verified (xqueue.outbound.insecure_tls_hosts)", uri.getHost());
	std::unique_ptr<Poco::Net::HTTPClientSession> pSession;
	if (tls)
	{
		// Poco 1.11's HTTPSClientSession cannot adopt a connected socket (its constructor
		// sets the port), so it connects itself: to the vetted address, given as its host,
		// with SNI and the certificate check on the URL's name. First address only.
		auto pHttps = std::make_unique<ConnectingHttpsSession>(addresses.front().host().toString(),
			addresses.front().port(), insecure ? _pInsecureContext : _pVerifyingContext);
		Poco::Net::SecureStreamSocket(pHttps->socket()).setPeerHostName(uri.getHost());
		pHttps->setTimeout(_timeout);
		pHttps->connectNow(); // so that the exchange's deadline can watch its socket
		CloseOnExec::set(pHttps->socket().impl()->sockfd());
		pSession = std::move(pHttps);
	}
	for (std::size_t i = 0; i < addresses.size() && !pSession; ++i)
	{
		try
		{
			Poco::Net::StreamSocket socket;
			socket.connect(addresses[i], _timeout);
			CloseOnExec::set(socket.impl()->sockfd());
			// Poco applies a session's timeouts when it connects; this socket it adopts.
			socket.setReceiveTimeout(_timeout);
			socket.setSendTimeout(_timeout);
			pSession = std::make_unique<Poco::Net::HTTPClientSession>(socket);
		}
		catch (Poco::Exception&)
		{
			if (i + 1 == addresses.size()) throw;
		}
	}
	pSession->setTimeout(_timeout);
	return pSession;
}


const std::set<std::string>& OutboundConnector::insecureTlsHosts() const
{
	return _insecureTlsHosts;
}


} // namespace XQueue
