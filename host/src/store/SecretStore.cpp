// SPDX-License-Identifier: Apache-2.0
//
// SecretStore.cpp
//


#include "store/SecretStore.h"
#include "util/SecureRandom.h"


using namespace Poco::Data::Keywords;


namespace XQueue {


SecretStore::SecretStore(Database& database):
	_database(database)
{
}


std::string SecretStore::obtain(const std::string& name)
{
	std::string candidate = SecureRandom::hexToken(32);
	std::string value;
	_database.transaction([&](Poco::Data::Session& s) {
		// The first insert wins; everyone reads the winner.
		s << _database.sql().insertOrIgnore() + " server_secrets (name, value) VALUES (?, ?)",
			useRef(name), use(candidate), now;
		value.clear();
		s << "SELECT value FROM server_secrets WHERE name = ?", useRef(name), into(value), now;
	});
	return value;
}


} // namespace XQueue
