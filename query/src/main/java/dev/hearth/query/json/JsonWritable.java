package dev.hearth.query.json;

/** A query result that writes itself as the JSON the REST API returns. */
public interface JsonWritable {

  void writeJson(JsonWriter w);

  /** The result as UTF-8 JSON bytes. */
  default byte[] toJsonBytes() {
    JsonWriter w = new JsonWriter();
    writeJson(w);
    return w.toBytes();
  }
}
