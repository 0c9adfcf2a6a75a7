// SPDX-License-Identifier: Apache-2.0
//
// ElfImage.cpp
//


#include "loader/ElfImage.h"
#include <cstring>
#include <elf.h>
#include <fstream>
#include <vector>


namespace XQueue {


namespace
{
#if defined(__x86_64__)
	constexpr Elf64_Half MACHINE = EM_X86_64;
#elif defined(__aarch64__)
	constexpr Elf64_Half MACHINE = EM_AARCH64;
#else
#error "ElfImage: name this architecture's ELF machine"
#endif

	bool inside(Elf64_Off offset, Elf64_Xword length, std::uint64_t size)
	{
		return offset <= size && length <= size - offset;
	}
}


std::optional<std::string> ElfImage::problem(const std::string& path)
{
	std::ifstream in(path, std::ios::binary);
	if (!in) return std::string("cannot be read");
	in.seekg(0, std::ios::end);
	const std::uint64_t size = static_cast<std::uint64_t>(in.tellg());
	in.seekg(0);
	Elf64_Ehdr header{};
	if (size < sizeof(header) || !in.read(reinterpret_cast<char*>(&header), sizeof(header)))
		return "not a shared library (" + std::to_string(size) + " bytes, too short for an ELF header)";
	if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) return std::string("not a shared library (no ELF header)");
	if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB || header.e_machine != MACHINE)
		return std::string("built for another machine (ELF class, byte order or architecture differs)");
	if (header.e_type != ET_DYN) return std::string("not a shared library (ELF type " + std::to_string(header.e_type) + ")");
	if (header.e_phentsize != sizeof(Elf64_Phdr) ||
		!inside(header.e_phoff, static_cast<Elf64_Xword>(header.e_phnum) * sizeof(Elf64_Phdr), size) ||
		(header.e_shnum && !inside(header.e_shoff, static_cast<Elf64_Xword>(header.e_shnum) * header.e_shentsize, size)))
		return "truncated (" + std::to_string(size) + " bytes: its headers point past the end)";
	std::vector<Elf64_Phdr> segments(header.e_phnum);
	in.seekg(static_cast<std::streamoff>(header.e_phoff));
	if (!in.read(reinterpret_cast<char*>(segments.data()), static_cast<std::streamsize>(segments.size() * sizeof(Elf64_Phdr))))
		return std::string("cannot be read");
	for (const auto& segment: segments)
	{
		if (segment.p_type == PT_LOAD && !inside(segment.p_offset, segment.p_filesz, size))
			return "truncated (" + std::to_string(size) + " bytes, a loadable segment ends at " +
				std::to_string(segment.p_offset + segment.p_filesz) + ")";
	}
	return std::nullopt;
}


} // namespace XQueue
