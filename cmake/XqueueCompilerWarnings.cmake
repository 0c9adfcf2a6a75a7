# One place for warning flags, applied per target so that third-party code is not affected.
function(xqueue_enable_warnings target)
	target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
		-Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wformat=2)
endfunction()
