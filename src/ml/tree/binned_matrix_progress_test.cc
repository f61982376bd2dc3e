// Binning reports its progress through the Context: the quantile cuts once
// per feature, the binning pass once per block of rows (never per row).
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "core/progress_test_util.h"
#include "ml/tree/binned_matrix.h"

namespace ember {
namespace {

TEST(BinningProgressTest, CutsPerFeatureThenRowsPerBlock) {
  const size_t rows = 5000;  // five 1024-row blocks of the dense pass
  std::vector<float> v(rows * 3);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 97);
  const ColumnPtr x = MakeDenseVectorColumn(rows, 3, v);
  ProgressRecorder rec;
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.max_bins = 16}, rec.ctx);
  EXPECT_EQ(m.rows(), rows);
  ASSERT_EQ(rec.tasks.size(), 2u);
  EXPECT_EQ(rec.tasks[0].label, "quantile cuts");
  EXPECT_EQ(rec.tasks[0].unit, "features");
  EXPECT_EQ(rec.tasks[0].total, 3u);
  EXPECT_EQ(rec.tasks[0].done, 3u);
  EXPECT_EQ(rec.tasks[1].label, "binning");
  EXPECT_EQ(rec.tasks[1].unit, "rows");
  EXPECT_EQ(rec.tasks[1].total, rows);
  EXPECT_EQ(rec.tasks[1].done, rows);
  EXPECT_EQ(rec.tasks[1].advances, 5u);  // ceil(5000 / 1024)
}

TEST(BinningProgressTest, SparseRowsToo) {
  // Rows: [0, 5], [2, 0], [0, 0].
  const ColumnPtr x = MakeSparseVectorColumn(2, {0, 1, 2, 2}, {1, 0}, {5, 2});
  ProgressRecorder rec;
  (void)BinnedMatrix::Build(*x, {}, {}, rec.ctx);
  ASSERT_EQ(rec.tasks.size(), 2u);
  EXPECT_EQ(rec.tasks[0].done, 2u);
  EXPECT_EQ(rec.tasks[1].done, 3u);
  EXPECT_EQ(rec.tasks[1].advances, 1u);
}

}  // namespace
}  // namespace ember
