// SPDX-License-Identifier: Apache-2.0
//
// LogTextTest.cpp
//


#include "util/LogText.h"
#include <gtest/gtest.h>


namespace {


TEST(LogTextTest, ControlCharactersAndBackslashesAreEscaped)
{
	EXPECT_EQ(XQueue::LogText::escape("tmp"), "tmp");
	EXPECT_EQ(XQueue::LogText::escape("a\r\nb"), "a\\x0d\\x0ab");
	EXPECT_EQ(XQueue::LogText::escape("\x1b[2J\x7f"), "\\x1b[2J\\x7f");
	EXPECT_EQ(XQueue::LogText::escape("a\\x0ab"), "a\\\\x0ab") << "a client's own escape is not taken for ours";
	EXPECT_EQ(XQueue::LogText::escape("caf\xc3\xa9"), "caf\xc3\xa9") << "UTF-8 stays readable";
}


} // namespace
