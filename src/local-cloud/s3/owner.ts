/** The canonical user every bucket and object version reports as its owner. */
export const LOCAL_OWNER = { ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a', DisplayName: 'regionctl-local' };
