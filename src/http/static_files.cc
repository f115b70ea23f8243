// StaticFiles: see static_files.h.
#include "http/static_files.h"

#include <sys/stat.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

namespace salon::http {

namespace {

// Request path to a relative file path, or nullopt when unsafe. Only a conservative
// character set is accepted, so no decoding is needed and ".." cannot appear.
std::optional<std::string> SafeRelative(std::string_view target) {
  std::size_t query = target.find_first_of("?#");
  if (query != std::string_view::npos) target = target.substr(0, query);
  if (target.empty() || target[0] != '/') return std::nullopt;
  std::string path(target.substr(1));
  for (char c : path) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) return std::nullopt;
  }
  if (path.find("..") != std::string::npos || path.find("//") != std::string::npos) {
    return std::nullopt;
  }
  if (path.empty() || path.back() == '/') path += "index.html";
  return path;
}

bool Compressible(std::string_view type) {
  return type.rfind("text/", 0) == 0 || type.find("javascript") != std::string_view::npos ||
         type.find("json") != std::string_view::npos || type.find("svg") != std::string_view::npos;
}

}  // namespace

std::string_view StaticFiles::ContentType(std::string_view path) {
  std::size_t dot = path.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::string StaticFiles::Gzip(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip wrapper, as Content-Encoding: gzip requires.
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string out;
  out.resize(deflateBound(&zs, data.size()));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

std::shared_ptr<const StaticFile> StaticFiles::Load(const std::string& relative) {
  std::string full = root_ + "/" + relative;
  struct stat st {};
  if (::stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
  int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  auto it = cache_.find(relative);
  if (it != cache_.end() && it->second.mtime_ns == mtime_ns &&
      it->second.size == static_cast<uint64_t>(st.st_size)) {
    return it->second.file;
  }
  std::ifstream in(full, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream content;
  content << in.rdbuf();
  auto file = std::make_shared<StaticFile>();
  file->body = content.str();
  file->content_type = std::string(ContentType(relative));
  file->etag = "\"" + std::to_string(st.st_size) + "-" + std::to_string(mtime_ns) + "\"";
  // Vite puts content-hashed names under assets/: they never change, so cache them for a year.
  file->cache_control =
      relative.rfind("assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache";
  if (Compressible(file->content_type) && file->body.size() >= 1024) {
    std::string gz = Gzip(file->body);
    if (!gz.empty() && gz.size() < file->body.size() * 9 / 10) file->gzip = std::move(gz);
  }
  cache_[relative] = {file, mtime_ns, static_cast<uint64_t>(st.st_size)};
  return file;
}

std::shared_ptr<const StaticFile> StaticFiles::Get(std::string_view target) {
  std::optional<std::string> relative = SafeRelative(target);
  if (!relative) return nullptr;
  if (auto file = Load(*relative)) return file;
  // Client-side routes ("/rooms/paris") get the app; missing assets stay 404.
  std::size_t slash = relative->rfind('/');
  std::string_view last = slash == std::string::npos
                              ? std::string_view(*relative)
                              : std::string_view(*relative).substr(slash + 1);
  if (last.find('.') == std::string_view::npos) return Load("index.html");
  return nullptr;
}

}  // namespace salon::http
