// StaticFiles: the built web client, served from a folder with content types, validators
// (ETag), cache headers (hashed assets under /assets/ are immutable; pages revalidate) and a
// gzip copy for compressible types, made once per file version and kept in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace salon::http {

struct StaticFile {
  std::string body;
  std::string gzip;  // empty when compression does not help
  std::string content_type;
  std::string etag;
  std::string cache_control;
};

class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}

  // The file for a request path ("/", "/assets/app-1a2b.js", "/rooms" -> index.html for
  // client-side routes). nullptr when there is nothing to serve, including any path that tries
  // to leave the root.
  std::shared_ptr<const StaticFile> Get(std::string_view target);

  static std::string_view ContentType(std::string_view path);
  static std::string Gzip(std::string_view data);

 private:
  std::shared_ptr<const StaticFile> Load(const std::string& relative);

  struct Entry {
    std::shared_ptr<const StaticFile> file;
    int64_t mtime_ns = 0;
    uint64_t size = 0;
  };
  std::string root_;
  std::unordered_map<std::string, Entry> cache_;
};

}  // namespace salon::http
