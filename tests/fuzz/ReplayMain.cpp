// SPDX-License-Identifier: Apache-2.0
//
// ReplayMain.cpp
//
// Runs a fuzz target over files, without libFuzzer: the seed corpus and every input
// that once crashed a target (regressions/) are replayed by CTest in the normal build.
// Usage: <target> FILE_OR_DIRECTORY...
//


#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);


int main(int argc, char** argv)
{
	std::vector<std::filesystem::path> inputs;
	for (int i = 1; i < argc; ++i)
	{
		std::filesystem::path path(argv[i]);
		if (std::filesystem::is_directory(path))
		{
			for (const auto& entry: std::filesystem::directory_iterator(path))
				if (entry.is_regular_file()) inputs.push_back(entry.path());
		}
		else if (std::filesystem::exists(path))
		{
			inputs.push_back(path);
		}
	}
	for (const auto& input: inputs)
	{
		std::string data(static_cast<std::size_t>(std::filesystem::file_size(input)), '\0');
		std::ifstream in(input, std::ios::binary);
		in.read(data.data(), static_cast<std::streamsize>(data.size()));
		LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
	}
	std::cout << inputs.size() << " inputs replayed\n";
	return 0;
}
