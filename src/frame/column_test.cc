#include "frame/column.h"

#include <gtest/gtest.h>

namespace ember {
namespace {

TEST(ColumnTest, NullsAndValues) {
  auto c = MakeNullableColumn<double>({1.5, std::nullopt, -2.0});
  EXPECT_EQ(c->length(), 3u);
  EXPECT_EQ(c->null_count(), 1u);
  EXPECT_TRUE(c->IsNull(1));
  EXPECT_EQ(c->values<double>()[2], -2.0);
  EXPECT_TRUE(std::isnan(c->NumericAt(1)));
}

TEST(ColumnTest, SliceSharesBuffers) {
  auto c = MakeStringColumn({"a", "bb", "ccc", "dddd"});
  auto s = c->Slice(1, 2);
  EXPECT_EQ(s->length(), 2u);
  EXPECT_EQ(s->StringAt(0), "bb");
  EXPECT_EQ(s->StringAt(1), "ccc");
  EXPECT_EQ(s->buffers().values->data(), c->buffers().values->data());  // same bytes, no copy
}

TEST(ColumnTest, TakeGathersEveryType) {
  auto ints = MakeNullableColumn<int32_t>({10, std::nullopt, 30});
  auto t = ints->Take(std::vector<int64_t>{2, 1, 0, 2});
  EXPECT_EQ((std::vector<int32_t>(t->values<int32_t>().begin(), t->values<int32_t>().end())),
            (std::vector<int32_t>{30, 0, 10, 30}));
  EXPECT_TRUE(t->IsNull(1));
  EXPECT_EQ(t->null_count(), 1u);

  auto dense = MakeDenseVectorColumn(2, 2, {1, 2, 3, 4});
  auto d = dense->Take(std::vector<int64_t>{1, 1});
  EXPECT_EQ(d->DenseRow(0)[0], 3.0f);
  EXPECT_EQ(d->DenseRow(1)[1], 4.0f);

  // rows: {0:1}, {}, {2:5, 3:6}
  auto sparse = MakeSparseVectorColumn(4, {0, 1, 1, 3}, {0, 2, 3}, {1, 5, 6});
  auto sp = sparse->Take(std::vector<int64_t>{2, 0});
  ASSERT_EQ(sp->SparseRowAt(0).indices.size(), 2u);
  EXPECT_EQ(sp->SparseRowAt(0).indices[1], 3);
  EXPECT_EQ(sp->SparseRowAt(0).values[1], 6.0f);
  EXPECT_EQ(sp->SparseRowAt(1).values[0], 1.0f);
}

TEST(ColumnTest, ConcatOfSlicesAndMixedValidity) {
  auto a = MakeStringColumn({"x", "yy", "zzz"})->Slice(1, 2);
  auto b = MakeNullableStringColumn({std::nullopt, "w"});
  auto c = Column::Concat(std::vector<ColumnPtr>{a, b});
  ASSERT_EQ(c->length(), 4u);
  EXPECT_EQ(c->StringAt(0), "yy");
  EXPECT_EQ(c->StringAt(1), "zzz");
  EXPECT_TRUE(c->IsNull(2));
  EXPECT_EQ(c->StringAt(3), "w");
  EXPECT_THROW(Column::Concat(std::vector<ColumnPtr>{a, MakeColumn<int32_t>({1})}), SchemaError);
}

TEST(ColumnTest, MakeRejectsInconsistentBuffers) {
  ColumnBuffers b;
  b.values = Buffer::Copy(std::vector<float>{1, 2, 3});
  EXPECT_THROW(Column::Make(DataType::Float32(), 4, b), CorruptData);
  ColumnBuffers s;
  s.values = Buffer::Copy(std::vector<char>{'a', 'b'});
  s.offsets = Buffer::Copy(std::vector<int64_t>{0, 2, 1});
  EXPECT_THROW(Column::Make(DataType::String(), 2, s), CorruptData);  // offsets decrease
  s.offsets = Buffer::Copy(std::vector<int64_t>{0, 1, 5});
  EXPECT_THROW(Column::Make(DataType::String(), 2, s), CorruptData);  // past the data
  EXPECT_THROW(MakeSparseVectorColumn(3, {0, 1}, {3}, {1.0f}), CorruptData);  // index == dim
}

TEST(DataTypeTest, ParseRoundTripsAndRejectsUnknown) {
  for (DataType t : {DataType::Bool(), DataType::Int32(), DataType::Int64(), DataType::Float32(),
                     DataType::Float64(), DataType::String(), DataType::DenseVector(28),
                     DataType::SparseVector(1000)}) {
    EXPECT_EQ(DataType::Parse(t.ToString()), t);
  }
  EXPECT_EQ(DataType::Parse("double"), DataType::Float64());
  try {
    DataType::Parse("decimal");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("float64"), std::string::npos);
  }
}

}  // namespace
}  // namespace ember
