// The `ember` command.
#include "cli/app.h"
#include "core/process_memory.h"

int main(int argc, char** argv) {
  ember::MapLargeBlocks();  // freed tables and matrices leave the resident set
  return ember::cli::Main(argc, argv);
}
