// SPDX-License-Identifier: Apache-2.0
//
// ElfImage.h
//
// Checks that a plugin file is a whole shared object for this machine before dlopen()
// maps it: the dynamic loader trusts the headers, so a truncated file (a copy cut short,
// a full disk) maps past its end and the first access kills the process with SIGBUS —
// no message, no exit code an operator can act on.
//


#ifndef XQueue_ElfImage_INCLUDED
#define XQueue_ElfImage_INCLUDED


#include <optional>
#include <string>


namespace XQueue {


class ElfImage
{
public:
	static std::optional<std::string> problem(const std::string& path);
		/// Why the file is not a complete ELF shared object of this machine's class, byte
		/// order and architecture (every header, segment and section table inside the
		/// file), or nothing.
};


} // namespace XQueue


#endif // XQueue_ElfImage_INCLUDED
