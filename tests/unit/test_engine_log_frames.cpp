#include "engine/log_frames.hpp"

#include <gtest/gtest.h>

#include <string>

using dockerops::engine::LogFrameDemuxer;
using dockerops::engine::Stream;

namespace {

std::string frame(unsigned char stream, const std::string& payload) {
  std::string header(8, '\0');
  header[0] = static_cast<char>(stream);
  auto size = static_cast<std::uint32_t>(payload.size());
  header[4] = static_cast<char>((size >> 24) & 0xff);
  header[5] = static_cast<char>((size >> 16) & 0xff);
  header[6] = static_cast<char>((size >> 8) & 0xff);
  header[7] = static_cast<char>(size & 0xff);
  return header + payload;
}

struct Collected {
  std::string out;
  std::string err;
};

Collected demux(const std::string& wire, std::size_t chunk, bool raw) {
  Collected collected;
  LogFrameDemuxer demuxer(raw, [&](Stream stream, std::string_view bytes) {
    (stream == Stream::error ? collected.err : collected.out).append(bytes);
    return true;
  });
  for (std::size_t at = 0; at < wire.size(); at += chunk)
    EXPECT_TRUE(demuxer.feed(std::string_view(wire).substr(at, chunk)));
  EXPECT_TRUE(demuxer.at_frame_boundary());
  return collected;
}

} // namespace

TEST(LogFrames, DemuxesAcrossEveryChunkBoundary) {
  // A 300-byte payload has a size byte other than the last one set (0x01 0x2c).
  std::string big(300, 'x');
  big.back() = '\n';
  std::string wire = frame(1, "hello\n") + frame(2, "oops\n") + frame(1, "") + frame(1, big) +
                     frame(2, std::string("\0\1\2", 3));
  for (std::size_t chunk = 1; chunk <= wire.size(); ++chunk) {
    Collected collected = demux(wire, chunk, false);
    EXPECT_EQ(collected.out, "hello\n" + big) << "chunk size " << chunk;
    EXPECT_EQ(collected.err, std::string("oops\n\0\1\2", 8)) << "chunk size " << chunk;
  }
}

TEST(LogFrames, RawModePassesBytesThrough) {
  std::string wire = "tty-out\r\n" + frame(2, "not a frame");
  Collected collected = demux(wire, 3, true);
  EXPECT_EQ(collected.out, wire);
  EXPECT_EQ(collected.err, "");
}

TEST(LogFrames, ReportsAPartialFrame) {
  LogFrameDemuxer demuxer(false, [](Stream, std::string_view) { return true; });
  demuxer.feed(frame(1, "abcdef").substr(0, 10));
  EXPECT_FALSE(demuxer.at_frame_boundary());
}

TEST(LogFrames, StopsWhenTheCallbackSaysSo) {
  int calls = 0;
  LogFrameDemuxer demuxer(false, [&](Stream, std::string_view) { return ++calls < 1; });
  EXPECT_FALSE(demuxer.feed(frame(1, "a") + frame(1, "b")));
  EXPECT_EQ(calls, 1);
}
