"""Word (.docx) and OpenDocument text (.odt) readers: zip packages of XML, read into the same
:class:`~rok_compare.model.SourceDocument` as PDFs and text (see :mod:`.builder` for the text
conventions, :mod:`.package` for the zip-bomb and XML-entity guards)."""
