// SPDX-License-Identifier: Apache-2.0
//
// WebhookSignature.hpp
//
// Signs an outgoing HTTP request the Standard Webhooks way (standardwebhooks.com), so
// that its receiver (an LMS, a push grader) can check that it came from this xqueue and
// was not replayed later:
//
//   webhook-id:        a message id, the same for every retry of one message
//   webhook-timestamp: Unix seconds when this attempt was signed
//   webhook-signature: "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))
//
// The key is given as "whsec_" + base64 (the spec's form, what its libraries accept) or,
// without that prefix, as the raw bytes. Header-only; who includes it links OpenSSL's
// libcrypto (CMake: OpenSSL::Crypto).
//

#ifndef XQUEUE_SDK_WEBHOOK_SIGNATURE_HPP
#define XQUEUE_SDK_WEBHOOK_SIGNATURE_HPP

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace xqueue::sdk {

class WebhookSignature
{
public:
	static constexpr const char* ID_HEADER = "webhook-id";
	static constexpr const char* TIMESTAMP_HEADER = "webhook-timestamp";
	static constexpr const char* SIGNATURE_HEADER = "webhook-signature";

	explicit WebhookSignature(std::string_view secret)
	{
		constexpr std::string_view PREFIX = "whsec_";
		if (secret.substr(0, PREFIX.size()) == PREFIX)
			_key = decodeBase64(secret.substr(PREFIX.size()));
		else
			_key.assign(secret.begin(), secret.end());
		if (_key.size() < 16) throw std::invalid_argument("webhook signing key shorter than 16 bytes");
	}

	std::string sign(std::string_view id, long long timestamp, std::string_view body) const
		/// The webhook-signature header value for one attempt.
	{
		std::string message;
		message.reserve(id.size() + body.size() + 24);
		message.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int length = 0;
		if (!HMAC(EVP_sha256(), _key.data(), static_cast<int>(_key.size()),
				reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &length))
			throw std::runtime_error("HMAC-SHA256 failed");
		std::string encoded(4 * ((length + 2) / 3) + 1, '\0');
		int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&encoded[0]), md, static_cast<int>(length));
		encoded.resize(static_cast<std::size_t>(written));
		return "v1," + encoded;
	}

private:
	static std::string decodeBase64(std::string_view text)
	{
		if (text.empty() || text.size() % 4 != 0) throw std::invalid_argument("webhook signing key: whsec_ must be followed by base64");
		std::string out(text.size() / 4 * 3, '\0');
		int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(&out[0]),
			reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
		if (written < 0) throw std::invalid_argument("webhook signing key: whsec_ must be followed by base64");
		// EVP_DecodeBlock counts padding as zero bytes.
		std::size_t padding = (text.back() == '=') + (text.size() > 1 && text[text.size() - 2] == '=');
		out.resize(static_cast<std::size_t>(written) - padding);
		return out;
	}

	std::string _key;
};

} // namespace xqueue::sdk

#endif // XQUEUE_SDK_WEBHOOK_SIGNATURE_HPP
