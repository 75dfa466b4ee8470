"""Publishers behind one interface: YouTube and SlideShare."""
