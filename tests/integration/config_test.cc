// Start-up and shutdown of the binary: config errors (exit code 2, message naming the key), an
// empty config, and SIGTERM (clients get ERROR, exit code 0).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "harness.h"

namespace salon::testing {
namespace {

// Runs salon with `toml` as its config file; the process must exit by itself.
class ConfigRun : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = TestServer::MakeTempDir(); }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  RunResult RunWith(const std::string& toml, std::vector<std::string> extra = {}) {
    std::string path = dir_ + "/salon.toml";
    {
      std::ofstream f(path, std::ios::trunc);
      f << toml;
    }
    std::vector<std::string> args = {
        "--config",      path,          "--irc-listen", "127.0.0.1:0",
        "--http-listen", "127.0.0.1:0", "--data-dir",   dir_ + "/data"};
    args.insert(args.end(), extra.begin(), extra.end());
    return TestServer::Run(args);
  }

  // Exit code 2 and a message on stderr that names `key`.
  void ExpectRejected(const std::string& toml, const std::string& key) {
    RunResult r = RunWith(toml);
    EXPECT_EQ(r.exit_code, 2) << "config:\n"
                              << toml << "\nstdout:\n"
                              << r.out << "\nstderr:\n"
                              << r.err;
    EXPECT_NE(r.err.find(key), std::string::npos) << "stderr should name " << key << ":\n" << r.err;
    EXPECT_EQ(r.out.find("ready"), std::string::npos) << "a bad config must not start: " << r.out;
  }

  std::string dir_;
};

TEST_F(ConfigRun, OutOfRangeValueNamesTheKey) {
  ExpectRejected("[limits]\nnick_length = 0\n", "limits.nick_length");
  ExpectRejected("[limits]\nsendq_bytes = 10\n", "limits.sendq_bytes");
}

TEST_F(ConfigRun, BadAdminContactsNameTheKey) {
  ExpectRejected("[admin]\nemail = \"nobody\"\n", "admin.email");
  ExpectRejected("[admin]\nname = \"two\\nlines\"\n", "admin.name");
  ExpectRejected("[admin]\nlocation = \"" + std::string(201, 'x') + "\"\n", "admin.location");
  ExpectRejected("[admin]\nphone = \"123\"\n", "admin.phone");
}

TEST_F(ConfigRun, WrongTypeNamesTheKey) {
  ExpectRejected("[limits]\nnick_length = \"ten\"\n", "limits.nick_length");
  ExpectRejected("[flood]\nenabled = \"yes\"\n", "flood.enabled");
}

TEST_F(ConfigRun, UnknownKeysAreRejected) {
  ExpectRejected("colour = \"blue\"\n", "colour");
  ExpectRejected("[limits]\nnick_lenght = 9\n", "limits.nick_lenght");
  ExpectRejected("[nosuchsection]\nx = 1\n", "nosuchsection");
}

TEST_F(ConfigRun, ErrorsNameTheFileAndLine) {
  RunResult r = RunWith("server_name = \"ok.example\"\n\n[limits]\nnick_length = 999\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("salon.toml"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(":4"), std::string::npos) << "line 4 holds the bad value: " << r.err;
}

TEST_F(ConfigRun, SyntaxErrorIsAConfigError) {
  RunResult r = RunWith("[limits\nnick_length = = 3\n");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("salon.toml"), std::string::npos) << r.err;
}

TEST_F(ConfigRun, PlainOperPasswordIsRejected) {
  ExpectRejected("[[opers]]\nname = \"admin\"\npassword_hash = \"hunter2\"\n", "password_hash");
}

TEST_F(ConfigRun, BadRoomDeclarationIsRejected) {
  ExpectRejected("[[rooms]]\nname = \"no-hash\"\ncategory = \"x\"\n", "name");
}

TEST_F(ConfigRun, BadListenFlagIsRejected) {
  RunResult r = RunWith("", {"--irc-listen", "not-an-address"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("--irc-listen"), std::string::npos) << r.err;
}

TEST_F(ConfigRun, MissingConfigFileIsAnError) {
  RunResult r =
      TestServer::Run({"--config", dir_ + "/does-not-exist.toml", "--irc-listen", "127.0.0.1:0",
                       "--http-listen", "127.0.0.1:0", "--data-dir", dir_ + "/data"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.exit_code, -1) << "it must exit by itself";
  EXPECT_NE(r.err.find("does-not-exist.toml"), std::string::npos) << r.err;
}

TEST(Config, EmptyConfigFileIsValid) {
  TestServer server("");
  server.Start();
  TestClient alice(server);
  auto burst = alice.Register("alice");
  EXPECT_EQ(burst.front().source, "salon.local");
  EXPECT_EQ(server.Stop(), 0);
}

TEST(Config, ConfiguredServerNameIsUsed) {
  TestServer server(
      TestConfig({.top = "server_name = \"irc.example.org\"\nnetwork = \"ExampleNet\""}));
  server.Start();
  TestClient alice(server);
  auto burst = alice.Register("alice");
  EXPECT_EQ(burst.front().source, "irc.example.org");
  bool saw_network = false;
  for (const auto& m : burst) {
    for (const auto& p : m.params) saw_network = saw_network || p == "NETWORK=ExampleNet";
  }
  EXPECT_TRUE(saw_network);
}

TEST(Config, SigtermSendsErrorToClientsAndExitsZero) {
  TestServer server(TestConfig());
  server.Start();
  TestClient alice(server), bob(server), unregistered(server);
  alice.Register("alice");
  bob.Register("bob");
  alice.Join("#room");
  bob.Join("#room");
  unregistered.Send("PING :x");
  unregistered.ExpectCommand("PONG");

  EXPECT_EQ(server.Stop(), 0) << server.Output();
  for (TestClient* c : {&alice, &bob, &unregistered}) {
    auto lines = c->ExpectClosed();
    ASSERT_FALSE(lines.empty()) << "no ERROR before the connection closed";
    EXPECT_EQ(lines.back().command, "ERROR") << lines.back().raw;
  }
  // Port released: nothing listens any more.
  EXPECT_THROW(TestClient(server.irc_port()), ExpectationFailed);
}

TEST(Config, HashPasswordPrintsAnArgon2idHash) {
  std::string hash = TestServer::HashPassword("correct horse");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
}

}  // namespace
}  // namespace salon::testing
