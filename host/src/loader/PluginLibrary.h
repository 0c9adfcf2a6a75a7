// SPDX-License-Identifier: Apache-2.0
//
// PluginLibrary.h
//
// One loaded plugin file: owns the Boost.DLL library handle and the descriptor the
// plugin returned. Everything made from it holds a shared_ptr to it, so the library
// is unloaded only after the last such object is gone.
//


#ifndef XQueue_PluginLibrary_INCLUDED
#define XQueue_PluginLibrary_INCLUDED


#include "loader/PluginHostApi.h"
#include "xqueue/sdk/PluginAbi.h"
#include "Poco/Exception.h"
#include <boost/dll/shared_library.hpp>
#include <memory>
#include <string>


namespace XQueue {


POCO_DECLARE_EXCEPTION(, PluginLoadException, Poco::RuntimeException)
	/// A plugin cannot be used; the message is one line naming the file, what was
	/// expected and what was found. The server refuses to start.


class PluginLibrary
{
public:
	static std::shared_ptr<PluginLibrary> load(const std::string& expectedId, const std::string& path);
		/// Loads path (RTLD_NOW | RTLD_LOCAL), calls its entry symbol and checks the
		/// descriptor: ABI major, plugin id, function table. Throws PluginLoadException.

	~PluginLibrary();

	const xq_plugin_descriptor& descriptor() const;
	const std::string& path() const;
	std::string id() const;

	PluginHostApi& hostApi() const;
		/// The table this process's instances use; a worker's calls are relayed to it.

	int imageDescriptor() const;
		/// An open read-only descriptor of the private copy the host loaded (its file is
		/// already removed): what worker processes load, whatever became of the
		/// installed file since.

private:
	PluginLibrary(const std::string& path, int imageFd, std::unique_ptr<PluginHostApi> host, boost::dll::shared_library library,
		const xq_plugin_descriptor* descriptor);

	std::string _path;
	int _imageFd;
	std::unique_ptr<PluginHostApi> _host; // the plugin keeps a pointer to its table until unloaded
	boost::dll::shared_library _library;
	const xq_plugin_descriptor* _descriptor;
};


} // namespace XQueue


#endif // XQueue_PluginLibrary_INCLUDED
