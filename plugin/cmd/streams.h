// Streams: where a command reads and writes (sample-cli-plugin's IOStreams).
// Data goes to `out`, notes and errors to `err`.
#ifndef KARGO_TOKEN_PLUGIN_CMD_STREAMS_H_
#define KARGO_TOKEN_PLUGIN_CMD_STREAMS_H_

#include <iostream>

namespace kargo_token::plugin {

struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_STREAMS_H_
