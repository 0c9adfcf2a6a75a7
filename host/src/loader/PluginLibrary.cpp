// SPDX-License-Identifier: Apache-2.0
//
// PluginLibrary.cpp
//


#include "loader/PluginLibrary.h"
#include "loader/ElfImage.h"
#include "metrics/Metrics.h"
#include "util/Digest.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Logger.h"
#include "Poco/Path.h"
#include "Poco/StreamCopier.h"
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <unistd.h>


namespace XQueue {


POCO_IMPLEMENT_EXCEPTION(PluginLoadException, Poco::RuntimeException, "Plugin load error")


namespace
{
	class PrivateCopy
		/// The plugin file copied into a directory of this process's own, removed again
		/// when it goes (dlopen() keeps what it mapped).
	{
	public:
		explicit PrivateCopy(const std::string& path)
		{
			char directory[] = "/tmp/xqueue-plugin-XXXXXX";
			if (!::mkdtemp(directory)) throw PluginLoadException("cannot make a private directory for " + path + ": " + std::strerror(errno));
			_directory = directory;
			_path = _directory + "/" + Poco::Path(path).getFileName();
			std::string bytes;
			{
				Poco::FileInputStream in(path, std::ios::in | std::ios::binary);
				Poco::StreamCopier::copyToString(in, bytes);
			}
			{
				Poco::FileOutputStream out(_path, std::ios::out | std::ios::binary | std::ios::trunc);
				out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
			}
			_sha256 = Digest::sha256Hex(bytes);
		}

		~PrivateCopy()
		{
			::unlink(_path.c_str());
			::rmdir(_directory.c_str());
		}

		int open() const
			/// A descriptor of the copy that outlives its name.
		{
			int fd = ::open(_path.c_str(), O_RDONLY | O_CLOEXEC);
			if (fd < 0) throw PluginLoadException("cannot open the private copy of the plugin: " + std::string(std::strerror(errno)));
			return fd;
		}

		PrivateCopy(const PrivateCopy&) = delete;
		PrivateCopy& operator = (const PrivateCopy&) = delete;

		const std::string& path() const { return _path; }
		const std::string& sha256() const { return _sha256; }

	private:
		std::string _directory;
		std::string _path;
		std::string _sha256;
	};

	// Only the fields of ABI 1.0 are read; struct_size says whether they are there. The
	// 1.0 sizes, not this header's: a later minor appends, and must load every 1.x plugin.
	constexpr std::size_t DESCRIPTOR_1_0_SIZE = XQ_PLUGIN_DESCRIPTOR_1_0_SIZE;
	constexpr std::size_t API_1_0_SIZE = XQ_PLUGIN_API_1_0_SIZE;

	// Boost 1.74 reports "boost::dll::shared_library::load() failed (dlerror system
	// message: <text>): <errno text>"; the dynamic loader's own text is the useful part.
	std::string dlerrorText(const std::string& what)
	{
		const std::string marker = "dlerror system message: ";
		auto begin = what.find(marker);
		auto end = what.rfind("): ");
		if (begin == std::string::npos || end == std::string::npos || end < begin) return what;
		return what.substr(begin + marker.size(), end - begin - marker.size());
	}
}


PluginLibrary::PluginLibrary(const std::string& path, int imageFd, std::unique_ptr<PluginHostApi> host, boost::dll::shared_library library,
	const xq_plugin_descriptor* descriptor):
	_path(path),
	_imageFd(imageFd),
	_host(std::move(host)),
	_library(std::move(library)),
	_descriptor(descriptor)
{
}


PluginLibrary::~PluginLibrary()
{
	_library.unload();
	::close(_imageFd);
}


std::shared_ptr<PluginLibrary> PluginLibrary::load(const std::string& expectedId, const std::string& path)
{
	const std::string where = "plugin '" + expectedId + "' (" + path + "): ";
	if (!Poco::File(path).exists())
		throw PluginLoadException(where + "file not found");
	// Loaded from a private copy: installing a new version over the file (cp rewrites it
	// in place) would otherwise change the code under the running server, which dies of
	// SIGBUS. The copy is removed once mapped; the mapping stays.
	PrivateCopy copy(path);
	// dlopen() of a truncated file maps past its end and dies of SIGBUS: refuse it first.
	if (auto problem = ElfImage::problem(copy.path()))
		throw PluginLoadException(where + *problem);

	boost::dll::shared_library library;
	try
	{
		library.load(copy.path(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
	}
	catch (const std::exception& exc)
	{
		throw PluginLoadException(where + "cannot be loaded: " + dlerrorText(exc.what()));
	}
	if (!library.has(XQ_ENTRY_SYMBOL))
		throw PluginLoadException(where + "entry symbol '" XQ_ENTRY_SYMBOL "' not found (was it declared with XQ_DECLARE_PLUGIN?)");

	auto host = std::make_unique<PluginHostApi>(expectedId);
	auto entry = library.get<const xq_plugin_descriptor*(const xq_host_api*)>(XQ_ENTRY_SYMBOL);
	const xq_plugin_descriptor* d = entry(host->table());
	if (!d)
		throw PluginLoadException(where + "initialisation failed (" XQ_ENTRY_SYMBOL " returned no descriptor)");
	if (d->abi_major != XQ_ABI_MAJOR)
		throw PluginLoadException(where + "ABI major version mismatch: the host expects " + std::to_string(XQ_ABI_MAJOR) +
			", the plugin was built for " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor));
	if (d->struct_size < DESCRIPTOR_1_0_SIZE)
		throw PluginLoadException(where + "descriptor too small (" + std::to_string(d->struct_size) + " bytes, expected at least " +
			std::to_string(DESCRIPTOR_1_0_SIZE) + ")");
	std::string id = d->id ? d->id : "";
	if (id != expectedId)
		throw PluginLoadException(where + "the file declares plugin id '" + id + "'");
	if (d->mode != XQ_MODE_PULL && d->mode != XQ_MODE_DISPATCH)
		throw PluginLoadException(where + "unknown adapter mode " + std::to_string(d->mode));
	const xq_plugin_api* api = d->api;
	if (!api || api->struct_size < API_1_0_SIZE || !api->create || !api->destroy)
		throw PluginLoadException(where + "incomplete function table (create and destroy are required)");
	if (d->mode == XQ_MODE_DISPATCH && !api->grade)
		throw PluginLoadException(where + "dispatch-mode plugin without a grade function");
	if (d->config_key_count > 0 && !d->config_keys)
		throw PluginLoadException(where + "declares " + std::to_string(d->config_key_count) + " configuration keys but no key table");
	for (uint32_t i = 0; i < d->config_key_count; ++i)
	{
		const xq_config_key& k = d->config_keys[i];
		if (!k.key || !*k.key || k.type < XQ_CONFIG_STRING || k.type > XQ_CONFIG_SECONDS)
			throw PluginLoadException(where + "configuration key " + std::to_string(i) + " is malformed");
	}
	Poco::Logger::get("xqueue.plugins").information("plugin %s %s loaded from %s (sha256 %s)", id, std::string(d->version ? d->version : ""),
		path, copy.sha256());
	Metrics::instance().add("xqueue_plugin_info", {{"plugin", id}, {"version", d->version ? d->version : ""}, {"file", path},
		{"sha256", copy.sha256()}});
	return std::shared_ptr<PluginLibrary>(new PluginLibrary(path, copy.open(), std::move(host), std::move(library), d));
}


const xq_plugin_descriptor& PluginLibrary::descriptor() const
{
	return *_descriptor;
}


const std::string& PluginLibrary::path() const
{
	return _path;
}


std::string PluginLibrary::id() const
{
	return _descriptor->id;
}


PluginHostApi& PluginLibrary::hostApi() const
{
	return *_host;
}


int PluginLibrary::imageDescriptor() const
{
	return _imageFd;
}


} // namespace XQueue
