/* setup-data-walk.h - STUB */
#ifndef ESD_SETUP_DATA_WALK_H
#define ESD_SETUP_DATA_WALK_H
#endif
