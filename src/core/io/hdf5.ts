/**
 * kmodel's HDF5 API, the one door to h5wasm: only the modules of this folder import it. h5wasm is ESM-only,
 * costs ~400 ms to get ready and is loaded lazily, on the first HDF5 open — `summary` of a JSON model never
 * pays for it.
 *
 *   hdf5-read.ts     withH5File (signature check first; heap check while open), attributes, links, datasets
 *   hdf5-write.ts    withNewH5File, groups, datasets, attributes (new files only, the format h5py writes)
 *   hdf5-session.ts  the opaque handles (H5Group, H5Dataset, valid only inside the callback) and error wrapping
 *   hdf5-module.ts   loading h5wasm; a fresh instance after a wasm abort
 *   hdf5-direct.ts   large datasets straight between file and JS array, bypassing the wasm heap copy
 *   hdf5-heap.ts     the global-heap check on what HDF5 reads (HDF5 would loop forever on some corrupt files)
 *   hdf5-links.ts    object paths resolved one link at a time: external links refused, soft links kept inside
 *   hdf5-confine.ts  HDF5 may open only the file kmodel opened (external storage, VDS sources are refused)
 *
 * Files are always closed in `finally`. h5wasm failures become FormatError (reading) or InputError
 * (writing) with `{cause}`; HDF5's own error printer is replaced by a throwing handler, so a bad file never
 * prints `HDF5-DIAG` to stderr and never yields a silent `file_id` of -1. A file reads nothing outside itself:
 * external links, EXTERNAL raw storage and virtual datasets are FormatError KM_FORMAT_HDF5_EXTERNAL (issue #13).
 */
export type {H5DType, H5NumericArray, H5Value} from './h5-values.js'
export {HDF5_SIGNATURE, hdf5SignatureOffset, isHdf5File} from './hdf5-signature.js'
export {type H5Child, type H5Dataset, type H5DatasetInfo, type H5Group, MAX_DATASET_BYTES} from './hdf5-session.js'
export {attrNames, datasetInfo, getDataset, getGroup, hasAttr, listChildren, readAttr, readDataset, readStringArrayAttr, readStringAttr, readStringListAttr, stringAttrKind, withH5File} from './hdf5-read.js'
export {createDataset, createGroup, utf8Length, withNewH5File, writeFixedStringArrayAttr, writeNumericAttr, writeStringAttr, writeVlenStringArrayAttr} from './hdf5-write.js'
