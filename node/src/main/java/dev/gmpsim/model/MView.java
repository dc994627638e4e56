package dev.gmpsim.model;

/** What scheddetail prints about one M; written by the actor that knows each field. */
final class MView {
  final int id;
  int p = -1;
  long curg = -1;
  boolean spinning;
  boolean blocked;
  long lockedg = -1;
  boolean dead;
  String state = "new";

  MView(int id) {
    this.id = id;
  }
}
