// Unit tests for the labelled form of a response (labeled-response: ACK, one line, batch with
// nested batches). The buffering itself is tested over the wire (tests/integration/labels_test).
#include "core/response_buffer.h"

#include <gtest/gtest.h>

namespace salon::core {
namespace {

TEST(FormatLabelled, NoLineIsAnAck) {
  EXPECT_EQ(ResponseBuffer::FormatLabelled("", "abc", "irc.test", ""),
            "@label=abc :irc.test ACK\r\n");
  EXPECT_EQ(ResponseBuffer::FormatLabelled("", "abc", "irc.test", "1"),
            "@label=abc :irc.test ACK\r\n");
}

TEST(FormatLabelled, OneLineGetsTheLabel) {
  EXPECT_EQ(ResponseBuffer::FormatLabelled(":irc.test 421 me FOO :Unknown command\r\n", "x1",
                                           "irc.test", ""),
            "@label=x1 :irc.test 421 me FOO :Unknown command\r\n");
  // A line that already has tags (echo-message with server-time): the label joins them.
  EXPECT_EQ(ResponseBuffer::FormatLabelled("@time=2026-01-01T00:00:00.000Z :a PRIVMSG b :hi\r\n",
                                           "x2", "irc.test", ""),
            "@label=x2;time=2026-01-01T00:00:00.000Z :a PRIVMSG b :hi\r\n");
}

TEST(FormatLabelled, SeveralLinesMakeABatch) {
  const std::string text =
      ":me!u@h JOIN #r\r\n"
      "@time=2026-01-01T00:00:00.000Z :irc.test 353 me = #r :me\r\n"
      ":irc.test 366 me #r :End of /NAMES list\r\n";
  EXPECT_EQ(ResponseBuffer::FormatLabelled(text, "l", "irc.test", "7"),
            "@label=l :irc.test BATCH +7 labeled-response\r\n"
            "@batch=7 :me!u@h JOIN #r\r\n"
            "@batch=7;time=2026-01-01T00:00:00.000Z :irc.test 353 me = #r :me\r\n"
            "@batch=7 :irc.test 366 me #r :End of /NAMES list\r\n"
            ":irc.test BATCH -7\r\n");
}

TEST(FormatLabelled, NestedBatchKeepsItsOwnTagsAndItsBatchLinesJoinTheOuter) {
  const std::string text =
      ":irc.test BATCH +in chathistory #r\r\n"
      "@batch=in;msgid=m1 :a PRIVMSG #r :one\r\n"
      "@msgid=m2;batch=in :a PRIVMSG #r :two\r\n"
      ":irc.test BATCH -in\r\n";
  EXPECT_EQ(ResponseBuffer::FormatLabelled(text, "l", "irc.test", "out"),
            "@label=l :irc.test BATCH +out labeled-response\r\n"
            "@batch=out :irc.test BATCH +in chathistory #r\r\n"
            "@batch=in;msgid=m1 :a PRIVMSG #r :one\r\n"
            "@msgid=m2;batch=in :a PRIVMSG #r :two\r\n"
            "@batch=out :irc.test BATCH -in\r\n"
            ":irc.test BATCH -out\r\n");
}

TEST(FormatLabelled, SeveralLinesWithoutBatchCapabilityGoOutPlain) {
  const std::string text = ":irc.test 311 me a u h * :R\r\n:irc.test 318 me a :End\r\n";
  EXPECT_EQ(ResponseBuffer::FormatLabelled(text, "l", "irc.test", ""), text);
}

TEST(FormatLabelled, TagNamedLikeBatchIsNotABatchTag) {
  const std::string text = "@+batchy=1 :a TAGMSG #r\r\n:s 300 me :x\r\n";
  EXPECT_EQ(ResponseBuffer::FormatLabelled(text, "l", "s", "b"),
            "@label=l :s BATCH +b labeled-response\r\n"
            "@batch=b;+batchy=1 :a TAGMSG #r\r\n"
            "@batch=b :s 300 me :x\r\n"
            ":s BATCH -b\r\n");
}

}  // namespace
}  // namespace salon::core
